using System.Net;
using System.Net.Sockets;
using CamaraQos.Agent.Native.Linux;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Native;

/// <summary>Turns the kernel's links, addresses and neighbours into the snapshot the status announces.</summary>
public static class NetworkReader
{
    // Entries the kernel believes in; FAILED and INCOMPLETE have no usable link-layer address (ip-neighbour(8)).
    private const ushort Usable = neighbour.NUD_REACHABLE | neighbour.NUD_STALE | neighbour.NUD_DELAY |
                                  neighbour.NUD_PROBE | neighbour.NUD_PERMANENT;

    /// <summary>Reads the calling thread's network namespace.</summary>
    public static NetworkSnapshot Read(string wanInterface, IReadOnlyCollection<string> lanInterfaces)
    {
        using var reader = new RtnetlinkReader();
        var links = reader.ReadLinks();
        var addresses = reader.ReadAddresses();
        var neighbours = reader.ReadNeighbours();
        return Build(links, addresses, neighbours, wanInterface, lanInterfaces);
    }

    internal static NetworkSnapshot Build(
        Dictionary<int, string> links, List<InterfaceAddress> addresses, List<NeighbourEntry> neighbours,
        string wanInterface, IReadOnlyCollection<string> lanInterfaces)
    {
        string? NameOf(int ifindex) => links.GetValueOrDefault(ifindex);
        var wan = addresses.Where(a => NameOf(a.IfIndex) == wanInterface && a.Scope != rtnetlink.RT_SCOPE_HOST).ToList();
        var wanIpv4 = wan.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString());
        var wanIpv6 = wan.Where(a => IsGlobalIpv6(a.Address)).Select(Prefix);
        var lanPrefixes = addresses
            .Where(a => lanInterfaces.Contains(NameOf(a.IfIndex) ?? "") &&
                        (a.Address.AddressFamily == AddressFamily.InterNetwork || IsGlobalIpv6(a.Address)))
            .Select(Prefix);
        var usable = neighbours
            .Where(n => (n.State & Usable) != 0 && lanInterfaces.Contains(NameOf(n.IfIndex) ?? ""))
            .Where(n => n.Address.AddressFamily == AddressFamily.InterNetwork || IsGlobalIpv6(n.Address));
        var inventory = CurrentIpv4(usable)
            .Select(n => new LanDevice(n.Address.ToString(), n.Mac, NameOf(n.IfIndex)!, Band: null))
            .DistinctBy(d => (d.Ip, d.Interface))
            .OrderBy(d => d.Interface, StringComparer.Ordinal).ThenBy(d => d.Ip, StringComparer.Ordinal);
        return new NetworkSnapshot(Sorted(wanIpv4), Sorted(wanIpv6), Sorted(lanPrefixes), [.. inventory]);
    }

    /// <summary>
    /// A device has one IPv4 address per interface. When it changes address, the kernel keeps the old entry
    /// as STALE, without garbage collection below gc_thresh1 (ip-neighbour(8), "gc_thresh1"): of the
    /// entries with one MAC on one interface, only the most recently confirmed is the device now. IPv6 keeps
    /// every entry (privacy addresses, RFC 8981, are several at once).
    /// </summary>
    private static IEnumerable<NeighbourEntry> CurrentIpv4(IEnumerable<NeighbourEntry> entries) => entries
        .GroupBy(n => (n.Mac, n.IfIndex, V4: n.Address.AddressFamily == AddressFamily.InterNetwork))
        .SelectMany(g => g.Key.V4
            ? g.OrderBy(n => n.ConfirmedAgo).ThenBy(n => n.Address.ToString(), StringComparer.Ordinal).Take(1)
            : g.AsEnumerable());

    private static string[] Sorted(IEnumerable<string> values) => [.. values.Distinct().Order(StringComparer.Ordinal)];

    private static bool IsGlobalIpv6(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal &&
        !address.IsIPv6Multicast && !IPAddress.IsLoopback(address);

    private static string Prefix(InterfaceAddress a) => $"{Network(a.Address, a.PrefixLength)}/{a.PrefixLength}";

    private static IPAddress Network(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
