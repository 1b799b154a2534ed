using System.Net;
using CamaraQos.Agent.Native;
using CamaraQos.Agent.Native.Linux;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Native;

public class NetworkReaderTests
{
    private static readonly Dictionary<int, string> Links = new() { [1] = "lo", [2] = "wan0", [3] = "lan0", [4] = "mgmt0" };

    private static InterfaceAddress Address(int ifindex, string ip, int prefix, byte scope = 0) =>
        new(ifindex, IPAddress.Parse(ip), prefix, scope);

    private static NeighbourEntry Neighbour(int ifindex, string ip, string mac, ushort state) =>
        new(ifindex, IPAddress.Parse(ip), mac, state);

    [Fact]
    public void WanAddressesLanPrefixesAndUsableLanNeighboursMakeTheSnapshot()
    {
        List<InterfaceAddress> addresses =
        [
            Address(1, "127.0.0.1", 8, rtnetlink.RT_SCOPE_HOST),
            Address(2, "198.51.100.7", 24),
            Address(2, "2001:db8:1::7", 64),
            Address(2, "fe80::1", 64, rtnetlink.RT_SCOPE_LINK),
            Address(3, "192.168.1.1", 24),
            Address(3, "2001:db8:1:1f::1", 60),
            Address(4, "10.213.100.2", 30),
        ];
        List<NeighbourEntry> neighbours =
        [
            Neighbour(3, "192.168.1.11", "02:00:00:00:01:11", neighbour.NUD_STALE),
            Neighbour(3, "192.168.1.10", "02:00:00:00:01:10", neighbour.NUD_REACHABLE),
            Neighbour(3, "192.168.1.12", "02:00:00:00:01:12", neighbour.NUD_FAILED),
            Neighbour(3, "192.168.1.13", "02:00:00:00:01:13", neighbour.NUD_INCOMPLETE),
            Neighbour(3, "fe80::10", "02:00:00:00:01:10", neighbour.NUD_REACHABLE),
            Neighbour(3, "192.168.1.14", "02:00:00:00:01:14", neighbour.NUD_PERMANENT),
            Neighbour(2, "198.51.100.1", "02:00:00:00:00:01", neighbour.NUD_REACHABLE),
            Neighbour(4, "10.213.100.1", "02:00:00:00:00:02", neighbour.NUD_REACHABLE),
        ];

        var snapshot = NetworkReader.Build(Links, addresses, neighbours, "wan0", ["lan0"]);

        Assert.Equal(["198.51.100.7"], snapshot.WanIpv4);
        Assert.Equal(["2001:db8:1::/64"], snapshot.WanIpv6Prefixes);
        Assert.Equal(["192.168.1.0/24", "2001:db8:1:10::/60"], snapshot.LanPrefixes);
        Assert.Equal(
        [
            new LanDevice("192.168.1.10", "02:00:00:00:01:10", "lan0", null),
            new LanDevice("192.168.1.11", "02:00:00:00:01:11", "lan0", null),
            new LanDevice("192.168.1.14", "02:00:00:00:01:14", "lan0", null),
        ], snapshot.Inventory);
    }

    [Fact]
    public void ADeviceThatChangedItsIpv4AddressIsListedOnlyAtTheMostRecentlyConfirmedOne()
    {
        List<NeighbourEntry> neighbours =
        [
            new(3, IPAddress.Parse("192.168.1.10"), "02:00:00:00:01:10", neighbour.NUD_STALE, ConfirmedAgo: 90_000),
            new(3, IPAddress.Parse("192.168.1.20"), "02:00:00:00:01:10", neighbour.NUD_STALE, ConfirmedAgo: 1_200),
            new(3, IPAddress.Parse("2001:db8:1:1f::10"), "02:00:00:00:01:10", neighbour.NUD_STALE, ConfirmedAgo: 90_000),
            new(3, IPAddress.Parse("2001:db8:1:1f::20"), "02:00:00:00:01:10", neighbour.NUD_REACHABLE, ConfirmedAgo: 100),
            new(3, IPAddress.Parse("192.168.1.11"), "02:00:00:00:01:11", neighbour.NUD_REACHABLE, ConfirmedAgo: 100),
        ];

        var snapshot = NetworkReader.Build(Links, [], neighbours, "wan0", ["lan0"]);

        Assert.Equal(["192.168.1.11", "192.168.1.20", "2001:db8:1:1f::10", "2001:db8:1:1f::20"], snapshot.Inventory.Select(d => d.Ip));
    }

    [Fact]
    public void SnapshotsWithTheSameContentAreEqualSoNothingIsRepublished()
    {
        NetworkSnapshot Make() => new(["198.51.100.7"], [], ["192.168.1.0/24"], [new LanDevice("192.168.1.10", "02:00:00:00:01:10", "lan0", null)]);

        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { Inventory = [] });
    }

    [Fact]
    public void MacAddressesAreWrittenInLowerCaseWithColons() =>
        Assert.Equal("02:ab:00:00:01:ff", RtnetlinkReader.FormatMac([0x02, 0xab, 0, 0, 1, 0xff]));
}
