using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QualityOnDemand;

namespace CamaraQos.Controller.QualityOnDemandV0;

/// <summary>One stored session (created through either version) as v0.10.1 shows it.</summary>
public static class QodV0Mapping
{
    /// <summary>
    /// v0.10.1 requires startedAt and expiresAt: a session the gateway has not confirmed yet reports its
    /// creation time and the expiry its granted duration would give. Durations are v1's effective ones.
    /// </summary>
    public static SessionInfoV0 ToInfo(Session s, IAgentDirectory agents)
    {
        var v1 = s.ToInfo();
        var started = s.StartedAt ?? s.CreatedAt;
        var expires = s.ExpiresAt ?? started.AddSeconds(v1.Duration);
        return new SessionInfoV0(
            s.SessionId,
            s.Request.Device ?? DeviceOf(s, agents),
            s.Request.ApplicationServer,
            s.Request.DevicePorts,
            s.Request.ApplicationServerPorts,
            s.Request.QosProfile,
            s.Request.Sink is { } sink ? new Webhook(sink, null) : null,
            v1.Duration,
            started.ToUnixTimeSeconds(),
            expires.ToUnixTimeSeconds(),
            s.Status);
    }

    /// <summary>
    /// A session created with a 3-legged token has no device in its request (the token named it);
    /// v0.10.1 requires one, so it is described by the gateway's public address and the LAN address.
    /// </summary>
    public static Device DeviceOf(Session s, IAgentDirectory agents)
    {
        if (IpSyntax.IsIpv6(s.DeviceIp))
        {
            return new Device(null, null, null, s.DeviceIp);
        }
        var wan = agents.Find(s.AgentId)?.Wan.Ipv4.FirstOrDefault() ?? s.DeviceIp;
        return new Device(null, null, new DeviceIpv4Address(wan, s.DeviceIp, null), null);
    }

    /// <summary>v0.10.1 allows the phone number without '+' (^\+?[0-9]{5,15}$); the shared rules want E.164 with it.</summary>
    public static Device? Normalize(Device? device) =>
        device?.PhoneNumber is { } phone && !phone.StartsWith('+') ? device with { PhoneNumber = "+" + phone } : device;
}
