using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// Which devices of each home have a non-default class: one row per (gateway, device MAC). A device back
/// at <c>standard</c> has no row, so the row count is what <c>MaxDevicesPerHome</c> limits.
/// </summary>
public sealed class HomeDeviceStore(Database database)
{
    private const string Columns = "agent_id, device_mac, device_ip, service_class, client_id, subscriber_id, updated_at";

    public Task<IReadOnlyList<HomeDeviceQos>> ForAgentAsync(string agentId, CancellationToken ct) =>
        QueryAsync("WHERE agent_id = @agentId ORDER BY device_mac", new { agentId }, ct);

    public async Task<HomeDeviceQos?> FindAsync(string agentId, string mac, CancellationToken ct) =>
        (await QueryAsync("WHERE agent_id = @agentId AND device_mac = @mac", new { agentId, mac = mac.ToLowerInvariant() }, ct)).SingleOrDefault();

    /// <summary>Stores the device's class, or removes its row when <paramref name="qos"/> is null (back to default).</summary>
    public async Task SaveAsync(string agentId, string mac, HomeDeviceQos? qos, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        if (qos is null)
        {
            await db.ExecuteAsync(new CommandDefinition("DELETE FROM home_device_qos WHERE agent_id = @agentId AND device_mac = @mac",
                new { agentId, mac = mac.ToLowerInvariant() }, cancellationToken: ct));
            return;
        }
        await db.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO home_device_qos ({Columns}) VALUES (@AgentId, @DeviceMac, @DeviceIp, @ServiceClass, @ClientId, @SubscriberId, @UpdatedAt)
            ON CONFLICT (agent_id, device_mac) DO UPDATE SET device_ip = excluded.device_ip, service_class = excluded.service_class,
              client_id = excluded.client_id, subscriber_id = excluded.subscriber_id, updated_at = excluded.updated_at
            """,
            HomeDeviceRow.From(qos), cancellationToken: ct));
    }

    public async Task UpdateIpAsync(string agentId, string mac, string ip, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition("UPDATE home_device_qos SET device_ip = @ip WHERE agent_id = @agentId AND device_mac = @mac",
            new { agentId, mac = mac.ToLowerInvariant(), ip }, cancellationToken: ct));
    }

    private async Task<IReadOnlyList<HomeDeviceQos>> QueryAsync(string where, object args, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = await db.QueryAsync<HomeDeviceRow>(new CommandDefinition($"SELECT {Columns} FROM home_device_qos {where}", args, cancellationToken: ct));
        return [.. rows.Select(r => r.ToQos())];
    }

    /// <summary>Primitive columns, so SQLite and PostgreSQL map it the same way.</summary>
    internal sealed class HomeDeviceRow
    {
        public string AgentId { get; set; } = "";
        public string DeviceMac { get; set; } = "";
        public string DeviceIp { get; set; } = "";
        public string ServiceClass { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string SubscriberId { get; set; } = "";
        public long UpdatedAt { get; set; }

        public static HomeDeviceRow From(HomeDeviceQos q) => new()
        {
            AgentId = q.AgentId,
            DeviceMac = q.DeviceMac.ToLowerInvariant(),
            DeviceIp = q.DeviceIp,
            ServiceClass = q.ServiceClass,
            ClientId = q.ClientId,
            SubscriberId = q.SubscriberId,
            UpdatedAt = q.UpdatedAt.ToUnixTimeMilliseconds(),
        };

        public HomeDeviceQos ToQos() => new(AgentId, DeviceMac, DeviceIp, ServiceClass, ClientId, SubscriberId, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }
}
