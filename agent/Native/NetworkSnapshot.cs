using CamaraQos.Shared;

namespace CamaraQos.Agent.Native;

/// <summary>
/// What the agent announces about its interfaces: WAN addresses, LAN prefixes and LAN devices, sorted so
/// two reads of an unchanged kernel compare equal (the status is republished only on change).
/// </summary>
public sealed record NetworkSnapshot(
    IReadOnlyList<string> WanIpv4,
    IReadOnlyList<string> WanIpv6Prefixes,
    IReadOnlyList<string> LanPrefixes,
    IReadOnlyList<LanDevice> Inventory)
{
    public static readonly NetworkSnapshot Empty = new([], [], [], []);

    public bool Equals(NetworkSnapshot? other) =>
        other is not null &&
        WanIpv4.SequenceEqual(other.WanIpv4) &&
        WanIpv6Prefixes.SequenceEqual(other.WanIpv6Prefixes) &&
        LanPrefixes.SequenceEqual(other.LanPrefixes) &&
        Inventory.SequenceEqual(other.Inventory);

    public override int GetHashCode() => HashCode.Combine(WanIpv4.Count, LanPrefixes.Count, Inventory.Count);
}
