using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Sandbox;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

/// <summary>Token validation for every API and, unless <c>Auth:Authority</c> is set, the embedded authorization server.</summary>
public static class AuthSetup
{
    public const string TokenPath = "/oauth2/token";
    public const string BackchannelPath = "/oauth2/bc-authorize";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    public static WebApplicationBuilder AddCamaraAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        // Bound here too: auth must not depend on the sandbox feature having been added first.
        services.AddOptions<SandboxOptions>().BindConfiguration("Sandbox");
        services.AddSingleton<SigningKeyRing>();
        // After the storage migrator (AddStorage comes first): the ring is read before the server listens.
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<CibaRequests>();
        services.AddSingleton<OAuthClientLimiter>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, BearerValidation>();
        services.AddAuthorizationBuilder().AddScopePolicies();
        return builder;
    }

    public static WebApplication MapAuthorizationServer(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!auth.IsEmbedded)
        {
            return app;
        }
        var oauth = app.MapGroup("").ExcludeFromDescription().RequireRateLimiting(CamaraCommon.RateLimitPolicy);
        oauth.MapPost(TokenPath, TokenEndpoint.Handle);
        oauth.MapPost(BackchannelPath, BackchannelEndpoint.Authorize);
        oauth.MapPost(BackchannelPath + "/{authReqId}/approve", BackchannelEndpoint.Approve).RequireAuthorization(Scopes.Admin);
        oauth.MapGet(BackchannelPath + "/pending", BackchannelEndpoint.Pending).RequireAuthorization(Scopes.Admin);
        oauth.MapGet(DiscoveryPath, DiscoveryEndpoints.Configuration);
        oauth.MapGet(JwksPath, DiscoveryEndpoints.Jwks);
        return app;
    }
}
