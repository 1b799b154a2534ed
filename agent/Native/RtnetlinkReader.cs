using System.Net;
using System.Runtime.InteropServices;
using CamaraQos.Agent.Native.Linux;
using static Tmds.Linux.LibC;

namespace CamaraQos.Agent.Native;

/// <summary>An interface address as RTM_GETADDR reports it.</summary>
internal readonly record struct InterfaceAddress(int IfIndex, IPAddress Address, int PrefixLength, byte Scope);

/// <summary>
/// A neighbour table entry as RTM_GETNEIGH reports it (only entries with a link-layer address).
/// <c>ConfirmedAgo</c>: clock ticks since the kernel last confirmed the entry (NDA_CACHEINFO ndm_confirmed).
/// </summary>
internal readonly record struct NeighbourEntry(int IfIndex, IPAddress Address, string Mac, ushort State, uint ConfirmedAgo = uint.MaxValue);

/// <summary>
/// Reads links, addresses and neighbours of the calling thread's network namespace over rtnetlink
/// (rtnetlink(7): RTM_GETLINK, RTM_GETADDR, RTM_GETNEIGH dumps).
/// </summary>
internal sealed class RtnetlinkReader : IDisposable
{
    private readonly NetlinkSocket _socket;

    public RtnetlinkReader()
        : this(NetlinkSocket.OpenRoute())
    {
    }

    internal RtnetlinkReader(NetlinkSocket socket) => _socket = socket;

    /// <summary>For requests on the same socket (tc changes over rtnetlink).</summary>
    internal NetlinkSocket Socket => _socket;

    public Dictionary<int, string> ReadLinks()
    {
        var links = new Dictionary<int, string>();
        _socket.Dump(rtnetlink.RTM_GETLINK, new ifinfomsg { ifi_family = (byte)AF_UNSPEC }, (type, payload) =>
        {
            if (type != rtnetlink.RTM_NEWLINK)
            {
                return;
            }
            var info = MemoryMarshal.Read<ifinfomsg>(payload);
            if (RtAttributes.TryFind(RtAttributes.After<ifinfomsg>(payload), if_link.IFLA_IFNAME, out var name))
            {
                links[info.ifi_index] = CString(name);
            }
        });
        return links;
    }

    public List<InterfaceAddress> ReadAddresses()
    {
        var addresses = new List<InterfaceAddress>();
        _socket.Dump(rtnetlink.RTM_GETADDR, new ifaddrmsg { ifa_family = (byte)AF_UNSPEC }, (type, payload) =>
        {
            if (type != rtnetlink.RTM_NEWADDR)
            {
                return;
            }
            var message = MemoryMarshal.Read<ifaddrmsg>(payload);
            var attributes = RtAttributes.After<ifaddrmsg>(payload);
            // IFA_LOCAL is the interface's own address on point-to-point links; IFA_ADDRESS otherwise.
            if (RtAttributes.TryFind(attributes, if_addr.IFA_LOCAL, out var raw) ||
                RtAttributes.TryFind(attributes, if_addr.IFA_ADDRESS, out raw))
            {
                addresses.Add(new InterfaceAddress((int)message.ifa_index, new IPAddress(raw), message.ifa_prefixlen, message.ifa_scope));
            }
        });
        return addresses;
    }

    public List<NeighbourEntry> ReadNeighbours()
    {
        var entries = new List<NeighbourEntry>();
        _socket.Dump(rtnetlink.RTM_GETNEIGH, new ndmsg { ndm_family = (byte)AF_UNSPEC }, (type, payload) =>
        {
            if (type != rtnetlink.RTM_NEWNEIGH)
            {
                return;
            }
            var message = MemoryMarshal.Read<ndmsg>(payload);
            var attributes = RtAttributes.After<ndmsg>(payload);
            if (RtAttributes.TryFind(attributes, neighbour.NDA_DST, out var dst) && dst.Length is 4 or 16 &&
                RtAttributes.TryFind(attributes, neighbour.NDA_LLADDR, out var lladdr) && lladdr.Length == 6)
            {
                var confirmedAgo = RtAttributes.TryFind(attributes, neighbour.NDA_CACHEINFO, out var cache)
                    && cache.Length >= System.Runtime.CompilerServices.Unsafe.SizeOf<nda_cacheinfo>()
                    ? MemoryMarshal.Read<nda_cacheinfo>(cache).ndm_confirmed
                    : uint.MaxValue;
                entries.Add(new NeighbourEntry(message.ndm_ifindex, new IPAddress(dst), FormatMac(lladdr), message.ndm_state, confirmedAgo));
            }
        });
        return entries;
    }

    /// <summary>The traffic classes of one interface (RTM_GETTCLASS needs the ifindex: tc_dump_tclass).</summary>
    public void DumpClasses(int ifindex, NetlinkMessageHandler handler) =>
        _socket.Dump(pkt_sched.RTM_GETTCLASS, new tcmsg { tcm_family = (byte)AF_UNSPEC, tcm_ifindex = ifindex }, handler);

    /// <summary>Every qdisc of the namespace (RTM_GETQDISC dumps all devices; the ifindex is in each answer).</summary>
    public void DumpQdiscs(NetlinkMessageHandler handler) =>
        _socket.Dump(pkt_sched.RTM_GETQDISC, new tcmsg { tcm_family = (byte)AF_UNSPEC }, handler);

    internal static string FormatMac(ReadOnlySpan<byte> mac) =>
        string.Join(':', mac.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static string CString(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? value : value[..end]);
    }

    public void Dispose() => _socket.Dispose();
}
