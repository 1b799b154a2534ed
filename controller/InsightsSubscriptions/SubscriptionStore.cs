using System.Text.Json;
using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// Active subscriptions in the database, so they, their expiry and what each sink last heard survive a
/// restart. An ended subscription is deleted (its status is not kept: the spec makes that optional).
/// </summary>
public sealed class SubscriptionStore(Database database)
{
    private const string Columns = "subscription_id, client_id, subscriber_id, agent_id, device_ip, device_mac, detail, sink, sink_token, starts_at, expires_at, max_events, initial_event, events_sent, last_sent";

    public async Task InsertAsync(InsightsSubscription s, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO insights_subscriptions ({Columns}, profile_id) VALUES (@SubscriptionId, @ClientId, @SubscriberId, @AgentId, @DeviceIp, @DeviceMac, @Detail, @Sink, @SinkToken, @StartsAt, @ExpiresAt, @MaxEvents, @InitialEvent, @EventsSent, @LastSent, @ProfileId)",
            Row.From(s).Parameters(), cancellationToken: ct));
    }

    public async Task<InsightsSubscription?> FindAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync("WHERE subscription_id = @id", new { id = id.ToString() }, ct)).SingleOrDefault();

    public Task<IReadOnlyList<InsightsSubscription>> ForClientAsync(string clientId, CancellationToken ct) =>
        QueryAsync("WHERE client_id = @clientId ORDER BY starts_at", new { clientId }, ct);

    public Task<IReadOnlyList<InsightsSubscription>> ForAgentAsync(string agentId, CancellationToken ct) =>
        QueryAsync("WHERE agent_id = @agentId", new { agentId }, ct);

    public Task<IReadOnlyList<InsightsSubscription>> ForProfileAsync(Guid profileId, CancellationToken ct) =>
        QueryAsync("WHERE profile_id = @profileId", new { profileId = profileId.ToString() }, ct);

    public Task<IReadOnlyList<InsightsSubscription>> ExpiredAsync(DateTimeOffset now, CancellationToken ct) =>
        QueryAsync("WHERE expires_at <= @t", new { t = now.ToUnixTimeMilliseconds() }, ct);

    public async Task<DateTimeOffset?> NextExpiryAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var next = await db.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(expires_at) FROM insights_subscriptions", cancellationToken: ct));
        return next is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Records what the sink was told; false if the subscription ended or another writer got there first.</summary>
    public async Task<bool> RecordAsync(Guid id, int expectedEvents, int events, NetworkQualityInsight lastSent, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "UPDATE insights_subscriptions SET events_sent = @events, last_sent = @json WHERE subscription_id = @id AND events_sent = @expectedEvents",
            new { id = id.ToString(), expectedEvents, events, json = Json(lastSent) }, cancellationToken: ct)) == 1;
    }

    /// <summary>The device's new LAN address, after the gateway announced its MAC at another one.</summary>
    public async Task UpdateDeviceIpAsync(Guid id, string deviceIp, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE insights_subscriptions SET device_ip = @deviceIp WHERE subscription_id = @id", new { id = id.ToString(), deviceIp }, cancellationToken: ct));
    }

    /// <summary>True only for the caller that removed it, so a subscription ends (and says so) once.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "DELETE FROM insights_subscriptions WHERE subscription_id = @id", new { id = id.ToString() }, cancellationToken: ct)) == 1;
    }

    private async Task<IReadOnlyList<InsightsSubscription>> QueryAsync(string where, object args, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = await db.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM insights_subscriptions {where}", args, cancellationToken: ct));
        return [.. rows.Select(r => r.ToSubscription())];
    }

    private static string Json(NetworkQualityInsight i) => JsonSerializer.Serialize(i, SubscriptionsJson.Default.NetworkQualityInsight);

    /// <summary>The table's row: primitive columns only, so SQLite and PostgreSQL map it the same way.</summary>
    internal sealed class Row
    {
        public string SubscriptionId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string? SubscriberId { get; set; }
        public string AgentId { get; set; } = "";
        public string DeviceIp { get; set; } = "";
        public string? DeviceMac { get; set; }
        public string Detail { get; set; } = "";
        public string Sink { get; set; } = "";
        public string? SinkToken { get; set; }
        public long StartsAt { get; set; }
        public long? ExpiresAt { get; set; }
        public long? MaxEvents { get; set; }
        public long? InitialEvent { get; set; }
        public long EventsSent { get; set; }
        public string? LastSent { get; set; }
        public string ProfileId { get; set; } = "";

        public static Row From(InsightsSubscription s) => new()
        {
            SubscriptionId = s.Id, ClientId = s.ClientId, SubscriberId = s.SubscriberId, AgentId = s.AgentId, DeviceIp = s.DeviceIp, DeviceMac = s.DeviceMac,
            Detail = JsonSerializer.Serialize(s.Detail, SubscriptionsJson.Default.SubscriptionDetail), Sink = s.Sink, SinkToken = s.SinkToken,
            StartsAt = s.StartsAt.ToUnixTimeMilliseconds(), ExpiresAt = s.ExpiresAt?.ToUnixTimeMilliseconds(), MaxEvents = s.MaxEvents,
            InitialEvent = s.InitialEvent is { } b ? (b ? 1 : 0) : null, EventsSent = s.EventsSent, LastSent = s.LastSent is null ? null : Json(s.LastSent),
            ProfileId = s.Detail.ApplicationProfileId.ToString(),
        };

        /// <summary>Insert parameters, spelled out (Dapper's inference does not read this nested type).</summary>
        public object Parameters() => new
        {
            SubscriptionId, ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac, Detail, Sink, SinkToken, StartsAt, ExpiresAt, MaxEvents,
            InitialEvent, EventsSent, LastSent, ProfileId,
        };

        public InsightsSubscription ToSubscription() => new(
            Guid.Parse(SubscriptionId), ClientId, SubscriberId, AgentId, DeviceIp, DeviceMac,
            JsonSerializer.Deserialize(Detail, SubscriptionsJson.Default.SubscriptionDetail)!, Sink, SinkToken,
            DateTimeOffset.FromUnixTimeMilliseconds(StartsAt), ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
            MaxEvents is { } m ? (int)m : null, InitialEvent is { } i ? i != 0 : null, (int)EventsSent,
            LastSent is null ? null : JsonSerializer.Deserialize(LastSent, SubscriptionsJson.Default.NetworkQualityInsight));
    }
}
