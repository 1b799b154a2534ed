namespace CamaraQos.Controller.Auth;

/// <summary><c>POST /oauth2/token</c>: client_credentials (RFC 6749 §4.4) and the CIBA poll grant (CIBA Core §10.1).</summary>
public static partial class TokenEndpoint
{
    public const string ClientCredentials = "client_credentials";
    public const string CibaGrant = "urn:openid:params:grant-type:ciba";

    public static async Task<IResult> Handle(HttpContext http, ClientRegistry clients, TokenIssuer issuer, CibaRequests ciba, ILogger<TokenIssuer> logger)
    {
        var (request, error) = await OAuthRequest.ReadAsync(http, clients);
        if (request is null)
        {
            return error!;
        }
        var result = request["grant_type"] switch
        {
            ClientCredentials => ClientCredentialsGrant(request, issuer),
            CibaGrant => await CibaPoll(request, issuer, ciba, http.RequestAborted),
            null => OAuthError.InvalidRequest("grant_type is required (once)."),
            var other => OAuthError.UnsupportedGrantType(other),
        };
        if (result is IValueHttpResult { Value: TokenResponse })
        {
            LogIssued(logger, request.Client.ClientId, request["grant_type"]!);
        }
        return result;
    }

    private static IResult ClientCredentialsGrant(OAuthRequest request, TokenIssuer issuer)
    {
        var grant = ScopeGrant.Decide(request["scope"], request.Client.Scopes, allowOpenId: false);
        return grant.Error is not null
            ? OAuthError.InvalidScope(grant.Error)
            : Success(issuer.Issue(request.Client.ClientId, null, grant.Granted));
    }

    private static async Task<IResult> CibaPoll(OAuthRequest request, TokenIssuer issuer, CibaRequests ciba, CancellationToken ct)
    {
        var authReqId = request["auth_req_id"];
        if (string.IsNullOrEmpty(authReqId))
        {
            return OAuthError.InvalidRequest("auth_req_id is required.");
        }
        var (approved, error) = await ciba.RedeemAsync(authReqId, request.Client.ClientId, ct);
        return approved is null ? error! : Success(issuer.Issue(approved.ClientId, approved.SubscriberId, approved.Scopes));
    }

    /// <summary>RFC 6749 §5.1: token responses must not be cached.</summary>
    private static IResult Success(TokenResponse token) => new NoStore<TokenResponse>(TypedResults.Json(token, AuthJson.Default.TokenResponse));

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a token to client {ClientId} ({GrantType})")]
    private static partial void LogIssued(ILogger logger, string clientId, string grantType);
}

/// <summary>Wraps a JSON result with <c>Cache-Control: no-store</c>.</summary>
public sealed class NoStore<T>(Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<T> inner) : IResult, IValueHttpResult
{
    public object? Value => inner.Value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        return inner.ExecuteAsync(httpContext);
    }
}
