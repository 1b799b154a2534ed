using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Sandbox;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// <c>POST /oauth2/bc-authorize</c> (CIBA Core §7, poll mode) and the operator's approval. In the
/// sandbox every request for a known subscriber is approved at once (docs/ARCHITECTURE.md §8).
/// </summary>
public static partial class BackchannelEndpoint
{
    /// <summary>CIBA Core §7.3: the minimum seconds between polls.</summary>
    public const int PollInterval = 2;

    public static async Task<IResult> Authorize(HttpContext http, ClientRegistry clients, CibaRequests ciba,
        IOptions<SandboxOptions> sandbox, ILogger<CibaRequests> logger)
    {
        var (request, error) = await OAuthRequest.ReadAsync(http, clients);
        if (request is null)
        {
            return error!;
        }
        var hint = request["login_hint"];
        if (string.IsNullOrWhiteSpace(hint))
        {
            return OAuthError.InvalidRequest("login_hint is required (once), e.g. tel:+34600000001 or ipport:198.51.100.1.");
        }
        var grant = ScopeGrant.Decide(request["scope"], request.Client.Scopes, allowOpenId: true);
        if (grant.Error is not null)
        {
            return OAuthError.InvalidScope(grant.Error);
        }
        // Resolved per request: the directory is another feature's and may be scoped.
        var directory = http.RequestServices.GetRequiredService<ISubscriberDirectory>();
        var subscriber = await directory.FindByLoginHintAsync(hint, http.RequestAborted);
        if (subscriber is null)
        {
            return OAuthError.UnknownUserId();
        }
        var (created, refused) = await ciba.CreateAsync(request.Client.ClientId, subscriber.SubscriberId, grant.Granted, approved: sandbox.Value.Enabled, http.RequestAborted);
        if (created is null)
        {
            return refused!;
        }
        LogCreated(logger, created.AuthReqId[..8], request.Client.ClientId, subscriber.SubscriberId, created.State);
        return TypedResults.Json(new BackchannelResponse(created.AuthReqId, (int)ciba.Lifetime.TotalSeconds, PollInterval),
            AuthJson.Default.BackchannelResponse);
    }

    /// <summary><c>POST /oauth2/bc-authorize/{authReqId}/approve</c>: the operator consents for the subscriber.</summary>
    public static async Task<IResult> Approve(string authReqId, CibaRequests ciba, ILogger<CibaRequests> logger, CancellationToken ct)
    {
        if (!await ciba.ApproveAsync(authReqId, ct))
        {
            return CamaraError.NotFound("No pending authorization request with that auth_req_id.");
        }
        LogApproved(logger, authReqId[..Math.Min(8, authReqId.Length)]);
        return TypedResults.NoContent();
    }

    /// <summary><c>GET /oauth2/bc-authorize/pending</c>: what awaits the operator's approval.</summary>
    public static async Task<IResult> Pending(CibaRequests ciba, CancellationToken ct) =>
        TypedResults.Json<IReadOnlyList<PendingAuthorization>>(
            [.. (await ciba.PendingAsync(ct)).Select(r => new PendingAuthorization(r.AuthReqId, r.ClientId, r.SubscriberId, string.Join(' ', r.Scopes), r.ExpiresAt))],
            AuthJson.Default.IReadOnlyListPendingAuthorization);

    [LoggerMessage(Level = LogLevel.Information, Message = "CIBA request {AuthReqIdPrefix}… from client {ClientId} for subscriber {SubscriberId}: {State}")]
    private static partial void LogCreated(ILogger logger, string authReqIdPrefix, string clientId, string subscriberId, CibaState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "CIBA request {AuthReqIdPrefix}… approved by an operator")]
    private static partial void LogApproved(ILogger logger, string authReqIdPrefix);
}
