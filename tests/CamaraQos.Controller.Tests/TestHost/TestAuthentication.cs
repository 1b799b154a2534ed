using System.Security.Claims;
using System.Text.Encodings.Web;
using CamaraQos.Controller.Camara;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Tests.TestHost;

/// <summary>
/// A test-only authentication scheme standing in for tokens until the embedded authorization server
/// is merged: the caller is read from <c>X-Test-*</c> headers and becomes the same claims a token
/// gives (<c>client_id</c>, <c>sub</c>, <c>scope</c>), so <see cref="Caller"/> and the scope policies run
/// unchanged. A request without them is anonymous; <c>Authorization: Bearer ...</c> without them is an
/// invalid token (401).
/// </summary>
public sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string ClientHeader = "X-Test-Client";
    public const string ScopesHeader = "X-Test-Scopes";
    public const string SubscriberHeader = "X-Test-Subscriber";

    public static void Register(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(SchemeName, _ => { });
        services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = o.DefaultAuthenticateScheme = o.DefaultChallengeScheme = o.DefaultForbidScheme = SchemeName;
        });
        services.AddAuthorizationBuilder().AddScopePolicies();
    }

    /// <summary>Sets a client's default headers so every request speaks as <paramref name="caller"/>.</summary>
    public static void Apply(HttpClient client, TestCaller caller)
    {
        client.DefaultRequestHeaders.Add(ClientHeader, caller.ClientId);
        client.DefaultRequestHeaders.Add(ScopesHeader, string.Join(' ', caller.Scopes));
        if (caller.SubscriberId is not null)
        {
            client.DefaultRequestHeaders.Add(SubscriberHeader, caller.SubscriberId);
        }
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var client = Request.Headers[ClientHeader].ToString();
        if (client.Length == 0)
        {
            return Task.FromResult(Request.Headers.Authorization.Count > 0
                ? AuthenticateResult.Fail("Invalid access token.")
                : AuthenticateResult.NoResult());
        }
        var subscriber = Request.Headers[SubscriberHeader].ToString();
        var identity = new ClaimsIdentity(
        [
            new Claim(Caller.ClientIdClaim, client),
            new Claim("sub", subscriber.Length > 0 ? subscriber : client),
            new Claim(Caller.ScopeClaim, Request.Headers[ScopesHeader].ToString()),
        ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
