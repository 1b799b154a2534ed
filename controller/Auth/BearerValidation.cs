using System.Security.Claims;
using CamaraQos.Controller.Camara;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using CamaraQos.Controller.Sandbox;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// JwtBearer for both modes: the embedded server's key and issuer, or the external provider's
/// metadata (<c>Auth:Authority</c>). Failures end as bare 401/403, which the common layer turns into
/// CAMARA ErrorInfo.
/// </summary>
public sealed class BearerValidation(IOptions<AuthOptions> auth, IOptions<SandboxOptions> sandbox, IServiceProvider services, TimeProvider time)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>The sandbox's fixed 2-legged token (docs/ARCHITECTURE.md §3), never valid outside it.</summary>
    public const string MockSandboxToken = "mock_sandbox_access_token";

    public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        var a = auth.Value;
        options.MapInboundClaims = false; // keep sub, client_id, scope as the token spells them
        options.TimeProvider = time;
        var p = options.TokenValidationParameters;
        p.ClockSkew = ClockSkew;
        p.RequireExpirationTime = true;
        p.LifetimeValidator = IsWithinLifetime;
        if (a.IsEmbedded)
        {
            var ring = services.GetRequiredService<SigningKeyRing>();
            p.ValidIssuer = a.Issuer;
            p.ValidAudience = a.EffectiveAudience;
            // Read per token: the ring changes when any controller rotates (every key is tried; the kid picks first).
            p.IssuerSigningKeyResolver = (_, _, _, _) => ring.ValidationKeys;
            p.ValidAlgorithms = [SigningKeyRing.Algorithm];
        }
        else
        {
            options.Authority = a.Authority;
            options.RequireHttpsMetadata = a.Authority!.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
            options.Audience = a.Audience;
            p.ValidateAudience = !string.IsNullOrWhiteSpace(a.Audience);
        }
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = AcceptSandboxToken,
            OnTokenValidated = NormalizeScopes,
        };
    }

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>RFC 7519 §4.1.4/§4.1.5 against the injected clock, so expiry is testable and consistent.</summary>
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp.ToUniversalTime() + ClockSkew
            && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - ClockSkew);
    }

    private Task AcceptSandboxToken(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (sandbox.Value.Enabled && header.Equals("Bearer " + MockSandboxToken, StringComparison.OrdinalIgnoreCase))
        {
            context.Principal = SandboxPrincipal();
            context.Success();
        }
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal SandboxPrincipal() => new(new ClaimsIdentity(
    [
        new Claim("sub", ClientRegistry.SandboxClientId),
        new Claim(Caller.ClientIdClaim, ClientRegistry.SandboxClientId),
        new Claim(Caller.ScopeClaim, string.Join(' ', Scopes.Camara)),
    ], "mock_sandbox"));

    /// <summary>
    /// Some providers (Entra ID) put scopes in <c>scp</c>, possibly one claim per scope; the scope
    /// policies read one space-separated <c>scope</c> (RFC 8693 §4.2).
    /// </summary>
    private static Task NormalizeScopes(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == Caller.ScopeClaim))
        {
            var scp = identity.FindAll("scp").Select(c => c.Value).ToList();
            if (scp.Count > 0)
            {
                identity.AddClaim(new Claim(Caller.ScopeClaim, string.Join(' ', scp)));
            }
        }
        return Task.CompletedTask;
    }
}
