using CamaraQos.Controller.Agents;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Shared;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>
/// Assignments of an agent as whole-device policies: any server, any port, both directions, the
/// profile's DSCP and rates, no end. The device address is looked up by MAC in the agent's inventory
/// at compile time, so the policy follows the device when its LAN address changes.
/// </summary>
public sealed class ProvisioningPolicySource(AssignmentStore store, IQosProfileCatalog profiles, IAgentDirectory agents) : IPolicySource
{
    public async Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct)
    {
        var agent = agents.Find(agentId);
        var assignments = await store.ForAgentAsync(agentId, ct);
        return [.. assignments
            .Where(a => a.Status != AssignmentStatus.UNAVAILABLE && !a.Revoking)
            .Select(a => ToPolicy(a, AssignmentLifecycle.CurrentIp(agent, a) ?? a.DeviceIp, profiles.Find(a.Request.QosProfile)))];
    }

    public static Policy ToPolicy(Assignment a, string deviceIp, QosProfile? profile) => new(
        a.PolicyId,
        PolicyKind.Device,
        new FlowMatch(deviceIp, a.DeviceMac, null, null, null, FlowProtocol.Any),
        Directions.Both,
        profile?.Dscp ?? Dscp.EF,
        TrafficClass.Priority,
        ToKbps(profile?.TargetMinUpstreamRate),
        ToKbps(profile?.TargetMinDownstreamRate),
        ToKbps(profile?.MaxUpstreamRate),
        ToKbps(profile?.MaxDownstreamRate),
        null,
        null);

    private static int? ToKbps(Rate? rate) => rate is null ? null : (int)Math.Min(int.MaxValue, rate.Kbps);
}
