using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>
/// The home's non-default classes as HomeDevice policies: downstream only (the spec's scope: "from the
/// home router to the target device"), any server and port, the class's DSCP and its RFC 8325 user
/// priority, no end. The address is looked up by MAC at compile time, so the class follows the device.
/// </summary>
public sealed class HomeDevicePolicySource(HomeDeviceStore store, IAgentDirectory agents) : IPolicySource
{
    public async Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct)
    {
        var agent = agents.Find(agentId);
        var rows = await store.ForAgentAsync(agentId, ct);
        return [.. rows.Select(q => (q, ServiceClass.Find(q.ServiceClass)))
            .Where(x => x.Item2 is { IsStandard: false })
            .Select(x => ToPolicy(x.q, CurrentIp(agent, x.q.DeviceMac) ?? x.q.DeviceIp, x.Item2!))];
    }

    public static Policy ToPolicy(HomeDeviceQos qos, string deviceIp, ServiceClass serviceClass) => new(
        qos.PolicyId,
        PolicyKind.HomeDevice,
        new FlowMatch(deviceIp, qos.DeviceMac, null, null, null, FlowProtocol.Any),
        Directions.Downstream,
        serviceClass.Dscp,
        // Classification only: no guaranteed rate. The agent sets skb->priority to 256+UP instead of an HTB class.
        TrafficClass.Default,
        null,
        null,
        null,
        null,
        serviceClass.WifiUserPriority,
        null);

    /// <summary>The device's current IPv4 address in the gateway's inventory, by MAC; null when it is not connected.</summary>
    public static string? CurrentIp(AgentView? agent, string mac) =>
        agent?.Inventory.FirstOrDefault(d => string.Equals(d.Mac, mac, StringComparison.OrdinalIgnoreCase) && Camara.IpSyntax.IsIpv4(d.Ip))?.Ip;
}
