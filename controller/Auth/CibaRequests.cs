using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

public enum CibaState
{
    Pending,
    Approved,
}

public sealed record CibaRequest(string AuthReqId, string ClientId, string SubscriberId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt, CibaState State);

/// <summary>
/// CIBA authentication requests in poll mode (CIBA Core §7): created by bc-authorize, approved by
/// the sandbox at once or by an operator, redeemed once at the token endpoint. Held in memory: a
/// request lives minutes and is polled at the instance that will answer it.
/// </summary>
public sealed class CibaRequests(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Bounds memory against a client flooding bc-authorize.</summary>
    public const int MaxOutstanding = 10_000;

    private readonly ConcurrentDictionary<string, CibaRequest> _requests = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.CibaRequestLifetimeSeconds);

    public CibaRequest? Create(string clientId, string subscriberId, IReadOnlyList<string> scopes, bool approved)
    {
        Sweep();
        if (_requests.Count >= MaxOutstanding)
        {
            return null;
        }
        var request = new CibaRequest(TokenIssuer.NewId(), clientId, subscriberId, scopes,
            time.GetUtcNow() + Lifetime, approved ? CibaState.Approved : CibaState.Pending);
        _requests[request.AuthReqId] = request;
        return request;
    }

    public bool Approve(string authReqId)
    {
        while (_requests.TryGetValue(authReqId, out var current) && !IsExpired(current))
        {
            if (_requests.TryUpdate(authReqId, current with { State = CibaState.Approved }, current))
            {
                return true;
            }
        }
        return false;
    }

    public IReadOnlyList<CibaRequest> Pending() =>
        [.. _requests.Values.Where(r => r.State == CibaState.Pending && !IsExpired(r)).OrderBy(r => r.ExpiresAt)];

    /// <summary>What the token endpoint answers for <paramref name="authReqId"/> polled by <paramref name="clientId"/>.</summary>
    public (CibaRequest? Approved, OAuthError? Error) Redeem(string authReqId, string clientId)
    {
        if (!_requests.TryGetValue(authReqId, out var request) || request.ClientId != clientId)
        {
            // CIBA Core §11: an id issued to another client is as invalid as an unknown one.
            return (null, OAuthError.InvalidGrant("Unknown auth_req_id."));
        }
        if (IsExpired(request))
        {
            _requests.TryRemove(authReqId, out _);
            return (null, OAuthError.ExpiredToken());
        }
        if (request.State == CibaState.Pending)
        {
            return (null, OAuthError.AuthorizationPending());
        }
        // Single use: only the poll that removes it gets the token.
        return _requests.TryRemove(new KeyValuePair<string, CibaRequest>(authReqId, request))
            ? (request, null)
            : (null, OAuthError.InvalidGrant("The auth_req_id was already used."));
    }

    private bool IsExpired(CibaRequest request) => time.GetUtcNow() >= request.ExpiresAt;

    private void Sweep()
    {
        foreach (var (id, request) in _requests)
        {
            // Kept one lifetime past expiry so a late poll still hears expired_token.
            if (time.GetUtcNow() >= request.ExpiresAt + Lifetime)
            {
                _requests.TryRemove(id, out _);
            }
        }
    }
}
