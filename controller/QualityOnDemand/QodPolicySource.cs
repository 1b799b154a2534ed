using CamaraQos.Controller.Agents;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>Active QoD sessions of an agent as flow policies: both directions, profile's DSCP and rates.</summary>
public sealed class QodPolicySource(SessionStore store, IQosProfileCatalog profiles, IOptions<QodOptions> options) : IPolicySource
{
    public async Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct)
    {
        var sessions = await store.ActiveForAgentAsync(agentId, ct);
        return [.. sessions.Select(s => ToPolicy(s, profiles.Find(s.Request.QosProfile), now, options.Value))];
    }

    /// <summary>
    /// A REQUESTED session is not yet timed: its notAfter bounds the worst case (confirmation deadline +
    /// duration) and is tightened to expiresAt once AVAILABLE.
    /// </summary>
    public static Policy ToPolicy(Session s, QosProfile? profile, DateTimeOffset now, QodOptions options)
    {
        var server = s.Request.ApplicationServer;
        var notAfter = s.ExpiresAt ?? (s.ConfirmDeadline ?? now.AddSeconds(options.ConfirmTimeoutSeconds)).AddSeconds(s.Duration);
        return new Policy(
            s.PolicyId,
            PolicyKind.Flow,
            new FlowMatch(
                s.DeviceIp,
                s.DeviceMac,
                [.. new[] { server.Ipv4Address, server.Ipv6Address }.OfType<string>()],
                SessionRules.ToRanges(s.Request.DevicePorts),
                SessionRules.ToRanges(s.Request.ApplicationServerPorts),
                FlowProtocol.Any),
            Directions.Both,
            profile?.Dscp ?? Dscp.EF,
            TrafficClass.Priority,
            ToKbps(profile?.TargetMinUpstreamRate),
            ToKbps(profile?.TargetMinDownstreamRate),
            ToKbps(profile?.MaxUpstreamRate),
            ToKbps(profile?.MaxDownstreamRate),
            null,
            notAfter);
    }

    private static int? ToKbps(Rate? rate) => rate is null ? null : (int)Math.Min(int.MaxValue, rate.Kbps);
}
