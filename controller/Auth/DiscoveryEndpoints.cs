using CamaraQos.Controller.Camara;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

/// <summary><c>/.well-known/openid-configuration</c> (OpenID Connect Discovery 1.0 §4) and the JWKS (RFC 7517 §5).</summary>
public static class DiscoveryEndpoints
{
    public static IResult Configuration(HttpRequest request, IOptions<AuthOptions> options)
    {
        var issuer = options.Value.Issuer;
        var baseUrl = BaseUrl(request, issuer);
        return TypedResults.Json(new DiscoveryDocument(
            issuer,
            baseUrl + AuthSetup.TokenPath,
            baseUrl + AuthSetup.BackchannelPath,
            baseUrl + AuthSetup.JwksPath,
            [TokenEndpoint.ClientCredentials, TokenEndpoint.CibaGrant],
            [ScopeGrant.OpenId, .. Scopes.All],
            ["poll"],
            ["client_secret_basic", "client_secret_post"],
            [SigningKeyRing.Algorithm],
            ["public"],
            false), AuthJson.Default.DiscoveryDocument);
    }

    /// <summary>Every key of the ring, so a token signed by any controller's current or previous key verifies.</summary>
    public static IResult Jwks(SigningKeyRing keys) =>
        TypedResults.Json(new JwksDocument(keys.PublicJwks), AuthJson.Default.JwksDocument);

    /// <summary>An absolute-URL issuer is where clients reach us; otherwise the request says where.</summary>
    private static string BaseUrl(HttpRequest request, string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? issuer.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
}
