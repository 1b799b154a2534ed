using System.Net;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>A port range proven valid (0-65535, From ≤ To) before rendering.</summary>
public readonly record struct Ports(ushort From, ushort To)
{
    public override string ToString() => From == To ? $"{From}" : $"{From}-{To}";
}

/// <summary>
/// A <see cref="Policy"/> whose every value is typed and checked; only these reach the renderers, so no
/// string from the wire is ever rendered into an nft or tc command. Empty lists mean "any".
/// </summary>
public sealed record TypedPolicy(
    string Id,
    PolicyKind Kind,
    IPAddress Device,
    IReadOnlyList<IPNetwork> Servers,
    IReadOnlyList<Ports> DevicePorts,
    IReadOnlyList<Ports> ServerPorts,
    FlowProtocol Protocol,
    Directions Directions,
    int Dscp,
    TrafficClass Class,
    int GuaranteedUpKbps,
    int GuaranteedDownKbps,
    int? WifiUserPriority,
    DateTimeOffset? NotAfter)
{
    public bool IsIpv6 => Device.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public bool IsActiveAt(DateTimeOffset now) => NotAfter is null || NotAfter > now;
}
