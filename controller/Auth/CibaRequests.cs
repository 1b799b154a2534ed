using CamaraQos.Controller.Storage;
using Dapper;
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
/// the sandbox at once or by an operator, redeemed once at the token endpoint. In the database
/// (<c>ciba_requests</c>), so the controller that answers the poll or the approval need not be the one
/// that took the request; single use is a conditional DELETE, so two polls on two controllers get one token.
/// </summary>
public sealed class CibaRequests(Database database, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Bounds the table against a client flooding bc-authorize.</summary>
    public const int MaxOutstanding = 10_000;

    private const string Columns = "auth_req_id, client_id, subscriber_id, scopes, expires_at, state";

    public TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.CibaRequestLifetimeSeconds);

    /// <summary>The new request, or null with the reason: the table is full, or this client holds its share.</summary>
    public async Task<(CibaRequest? Created, OAuthError? Refused)> CreateAsync(string clientId, string subscriberId, IReadOnlyList<string> scopes, bool approved, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await database.OpenAsync(ct);
        // Kept one lifetime past expiry so a late poll still hears expired_token.
        await db.ExecuteAsync(new CommandDefinition("DELETE FROM ciba_requests WHERE expires_at <= @t",
            new { t = (now - Lifetime).ToUnixTimeMilliseconds() }, cancellationToken: ct));
        if (await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM ciba_requests", cancellationToken: ct)) >= MaxOutstanding)
        {
            return (null, new OAuthError(503, "temporarily_unavailable", "Too many outstanding authorization requests."));
        }
        var perClient = options.Value.CibaMaxOutstandingPerClient;
        var request = new CibaRequest(TokenIssuer.NewId(), clientId, subscriberId, scopes, now + Lifetime, approved ? CibaState.Approved : CibaState.Pending);
        // The count and the insert are one statement, so concurrent requests of one client cannot pass it together.
        var inserted = await db.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO ciba_requests ({Columns})
            SELECT @AuthReqId, @ClientId, @SubscriberId, @Scopes, @ExpiresAt, @State
            WHERE (SELECT COUNT(*) FROM ciba_requests WHERE client_id = @ClientId AND expires_at > @Now) < @PerClient
            """,
            new { request.AuthReqId, request.ClientId, request.SubscriberId, Scopes = string.Join(' ', request.Scopes),
                ExpiresAt = request.ExpiresAt.ToUnixTimeMilliseconds(), State = request.State.ToString(), Now = now.ToUnixTimeMilliseconds(), PerClient = perClient },
            cancellationToken: ct));
        return inserted == 1
            ? (request, null)
            : (null, new OAuthError(429, "temporarily_unavailable", $"This client has {perClient} outstanding authorization requests; redeem them or let them expire first."));
    }

    public async Task<bool> ApproveAsync(string authReqId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "UPDATE ciba_requests SET state = @approved WHERE auth_req_id = @authReqId AND state = @pending AND expires_at > @now",
            new { authReqId, approved = nameof(CibaState.Approved), pending = nameof(CibaState.Pending), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct)) == 1;
    }

    public async Task<IReadOnlyList<CibaRequest>> PendingAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = await db.QueryAsync<CibaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM ciba_requests WHERE state = @pending AND expires_at > @now ORDER BY expires_at",
            new { pending = nameof(CibaState.Pending), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToRequest())];
    }

    /// <summary>What the token endpoint answers for <paramref name="authReqId"/> polled by <paramref name="clientId"/>.</summary>
    public async Task<(CibaRequest? Approved, OAuthError? Error)> RedeemAsync(string authReqId, string clientId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var request = (await db.QuerySingleOrDefaultAsync<CibaRow>(new CommandDefinition(
            $"SELECT {Columns} FROM ciba_requests WHERE auth_req_id = @authReqId", new { authReqId }, cancellationToken: ct)))?.ToRequest();
        if (request is null || request.ClientId != clientId)
        {
            // CIBA Core §11: an id issued to another client is as invalid as an unknown one.
            return (null, OAuthError.InvalidGrant("Unknown auth_req_id."));
        }
        if (time.GetUtcNow() >= request.ExpiresAt)
        {
            await db.ExecuteAsync(new CommandDefinition("DELETE FROM ciba_requests WHERE auth_req_id = @authReqId", new { authReqId }, cancellationToken: ct));
            return (null, OAuthError.ExpiredToken());
        }
        if (request.State == CibaState.Pending)
        {
            return (null, OAuthError.AuthorizationPending());
        }
        // Single use: only the poll whose DELETE removes the row gets the token.
        return await db.ExecuteAsync(new CommandDefinition(
                "DELETE FROM ciba_requests WHERE auth_req_id = @authReqId AND state = @approved",
                new { authReqId, approved = nameof(CibaState.Approved) }, cancellationToken: ct)) == 1
            ? (request, null)
            : (null, OAuthError.InvalidGrant("The auth_req_id was already used."));
    }

    /// <summary>Primitive columns, so SQLite and PostgreSQL map it the same way.</summary>
    private sealed class CibaRow
    {
        public string AuthReqId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string SubscriberId { get; set; } = "";
        public string Scopes { get; set; } = "";
        public long ExpiresAt { get; set; }
        public string State { get; set; } = "";

        public static CibaRow From(CibaRequest r) => new()
        {
            AuthReqId = r.AuthReqId,
            ClientId = r.ClientId,
            SubscriberId = r.SubscriberId,
            Scopes = string.Join(' ', r.Scopes),
            ExpiresAt = r.ExpiresAt.ToUnixTimeMilliseconds(),
            State = r.State.ToString(),
        };

        public CibaRequest ToRequest() => new(AuthReqId, ClientId, SubscriberId,
            Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAt), Enum.Parse<CibaState>(State));
    }
}
