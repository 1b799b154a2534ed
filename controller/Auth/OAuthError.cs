using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// An OAuth error (RFC 6749 §5.2, CIBA Core §11 and §13). The /oauth2 endpoints speak OAuth, so
/// clients' OAuth libraries can read them; everything else speaks CAMARA ErrorInfo.
/// </summary>
public sealed class OAuthError(int status, string error, string description) : IResult
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    public string Description { get; } = description;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.Headers.CacheControl = "no-store";
        if (Status == StatusCodes.Status401Unauthorized)
        {
            // RFC 6749 §5.2: a 401 invalid_client names the scheme the client may authenticate with.
            response.Headers.WWWAuthenticate = "Basic realm=\"camaraqos\"";
        }
        return response.WriteAsJsonAsync(new OAuthErrorBody(Error, Description), AuthJson.Default.OAuthErrorBody, "application/json");
    }

    public override string ToString() => $"{Status} {Error}: {Description}";

    public static OAuthError InvalidRequest(string description) => new(400, "invalid_request", description);
    public static OAuthError InvalidClient() => new(401, "invalid_client", "Client authentication failed.");
    public static OAuthError InvalidGrant(string description) => new(400, "invalid_grant", description);
    public static OAuthError UnauthorizedClient(string description) => new(400, "unauthorized_client", description);
    public static OAuthError UnsupportedGrantType(string grantType) => new(400, "unsupported_grant_type", $"Unsupported grant_type '{ClientValue.Echo(grantType)}'.");
    public static OAuthError InvalidScope(string description) => new(400, "invalid_scope", description);
    public static OAuthError UnknownUserId() => new(400, "unknown_user_id", "The login_hint does not identify a known subscriber.");
    public static OAuthError AuthorizationPending() => new(400, "authorization_pending", "The authorization request is still pending.");
    public static OAuthError ExpiredToken() => new(400, "expired_token", "The auth_req_id has expired.");
    public static OAuthError AccessDenied() => new(400, "access_denied", "The subscriber's authorization was denied.");
}
