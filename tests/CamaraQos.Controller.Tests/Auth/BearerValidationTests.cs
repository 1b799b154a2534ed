using System.Net;
using System.Security.Claims;
using CamaraQos.Controller.Camara;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CamaraQos.Controller.Tests.Auth.AuthHost;

namespace CamaraQos.Controller.Tests.Auth;

public class BearerValidationTests
{
    private const string AdminEndpoint = "/oauth2/bc-authorize/pending";

    [Fact]
    public async Task ExpiredTokenIsRejectedWithUnauthenticatedErrorInfo()
    {
        await using var host = new AuthHost(settings: new Dictionary<string, string?> { ["Auth:TokenLifetimeSeconds"] = "60" });
        var admin = await host.Token(AdminClient, AdminSecret);
        using (var fresh = await host.Get(AdminEndpoint, admin))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Past exp plus the 30 s clock skew, on the injected clock only.
        host.Time.Advance(TimeSpan.FromSeconds(60 + 31));
        using var expired = await host.Get(AdminEndpoint, admin);

        await AssertErrorInfo(expired, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Equal("Bearer", expired.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJvcGVyYXRvciIsInNjb3BlIjoiY2FtYXJhcW9zOmFkbWluIn0.")]
    public async Task MissingGarbageOrUnsignedTokenIsUnauthenticatedErrorInfo(string? bearer)
    {
        await using var host = new AuthHost();
        using var response = await host.Get(AdminEndpoint, bearer);

        await AssertErrorInfo(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task TokenSignedByAnotherInstanceKeyIsRejected()
    {
        await using var other = new AuthHost();
        var foreign = await other.Token(AdminClient, AdminSecret);
        await using var host = new AuthHost();

        using var response = await host.Get(AdminEndpoint, foreign);
        await AssertErrorInfo(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task TokenWithoutTheRequiredScopeIsPermissionDeniedErrorInfo()
    {
        await using var host = new AuthHost();
        var reader = await host.Token(ReaderClient, ReaderSecret);
        using var response = await host.Get(AdminEndpoint, reader);

        await AssertErrorInfo(response, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task MockSandboxTokenAuthenticatesAsTheSandboxClientWithEveryCamaraScopeWhenTheSandboxIsOn()
    {
        await using var host = new AuthHost(sandbox: true);
        var result = await AuthenticateDirectly(host, "Bearer mock_sandbox_access_token");

        Assert.True(result.Succeeded);
        var caller = Caller.From(result.Principal!);
        Assert.Equal(new Caller("sandbox-client", null), caller);
        Assert.All(Scopes.Camara, s => Assert.True(Scopes.Has(result.Principal!, s), s));
        Assert.False(Scopes.Has(result.Principal!, Scopes.Admin));
        // Through the pipeline: authenticated (so 403, not 401) on an endpoint needing admin.
        using var response = await host.Get(AdminEndpoint, "mock_sandbox_access_token");
        await AssertErrorInfo(response, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
    }

    [Fact]
    public async Task MockSandboxTokenIsRejectedWhenTheSandboxIsOff()
    {
        await using var host = new AuthHost(sandbox: false);
        var result = await AuthenticateDirectly(host, "Bearer mock_sandbox_access_token");

        Assert.False(result.Succeeded);
        using var response = await host.Get(AdminEndpoint, "mock_sandbox_access_token");
        await AssertErrorInfo(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task SandboxClientsExistOnlyWithTheSandboxOn()
    {
        await using var on = new AuthHost(sandbox: true);
        await using var off = new AuthHost(sandbox: false);

        var admin = await on.Token("sandbox-admin", "sandbox-admin-secret");
        using (var listed = await on.Get(AdminEndpoint, admin))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
        var reader = await Jwks.VerifyAsync(on, await on.Token("sandbox-readonly", "sandbox-readonly-secret"), "camaraqos");
        Assert.Equal(string.Join(' ', Scopes.Read), reader.GetClaim("scope").Value);
        var second = await Jwks.VerifyAsync(on, await on.Token("sandbox-client-2", "sandbox-secret-2"), "camaraqos");
        Assert.Equal(string.Join(' ', Scopes.Camara), second.GetClaim("scope").Value);
        using var refused = await off.PostForm("/oauth2/token", Basic("sandbox-client", "sandbox-secret"), ("grant_type", "client_credentials"));
        await AssertOAuthError(refused, HttpStatusCode.Unauthorized, "invalid_client");
    }

    /// <summary>Runs the real JwtBearer handler of the host on a request carrying this header.</summary>
    private static async Task<AuthenticateResult> AuthenticateDirectly(AuthHost host, string authorization)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Authorization = authorization;
        return await http.AuthenticateAsync();
    }
}
