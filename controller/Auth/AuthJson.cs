using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.Auth;

/// <summary>RFC 6749 §5.2 error body (the OAuth spec's shape, not CAMARA's, on /oauth2 endpoints).</summary>
public sealed record OAuthErrorBody(string Error, string ErrorDescription);

/// <summary>RFC 6749 §5.1 successful token response; <c>id_token</c> for CIBA with <c>openid</c>.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Scope, string? IdToken);

/// <summary>CIBA Core §7.3 authentication request acknowledgement.</summary>
public sealed record BackchannelResponse(string AuthReqId, int ExpiresIn, int Interval);

/// <summary>A CIBA request waiting for the operator (admin listing).</summary>
public sealed record PendingAuthorization(string AuthReqId, string ClientId, string SubscriberId, string Scope, DateTimeOffset ExpiresAt);

/// <summary>One public key (RFC 7517 §4, RFC 7518 §6.2.1).</summary>
public sealed record JwkDocument(string Kty, string Use, string Alg, string Kid, string Crv, string X, string Y);

public sealed record JwksDocument(IReadOnlyList<JwkDocument> Keys);

/// <summary>OpenID Connect Discovery 1.0 §3 and CIBA Core §4 metadata.</summary>
public sealed record DiscoveryDocument(
    string Issuer,
    string TokenEndpoint,
    string BackchannelAuthenticationEndpoint,
    string JwksUri,
    IReadOnlyList<string> GrantTypesSupported,
    IReadOnlyList<string> ScopesSupported,
    IReadOnlyList<string> BackchannelTokenDeliveryModesSupported,
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    IReadOnlyList<string> SubjectTypesSupported,
    bool BackchannelUserCodeParameterSupported);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(BackchannelResponse))]
[JsonSerializable(typeof(IReadOnlyList<PendingAuthorization>))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(DiscoveryDocument))]
public sealed partial class AuthJson : JsonSerializerContext;
