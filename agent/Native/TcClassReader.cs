using System.Runtime.InteropServices;
using CamaraQos.Agent.Native.Linux;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Native;

/// <summary>
/// Counters of the HTB classes on the agent's interfaces, one RTM_GETTCLASS dump per interface
/// (rtnetlink(7); `tc -s class show` reads the same). Netlink, not tc(8): `tc -j class show` prints
/// text for HTB classes (docs/STACK.md), and a dump costs no process start.
/// </summary>
public static class TcClassReader
{
    /// <summary>Reads the calling thread's network namespace; an interface that is not there has no classes.</summary>
    public static List<ClassCounters> Read(IReadOnlyList<string> interfaces)
    {
        using var reader = new RtnetlinkReader();
        var links = reader.ReadLinks();
        var classes = new List<ClassCounters>();
        foreach (var (index, name) in links)
        {
            if (!interfaces.Contains(name))
            {
                continue;
            }
            reader.DumpClasses(index, (type, payload) =>
            {
                if (type == pkt_sched.RTM_NEWTCLASS && TryParse(name, payload) is { } counters)
                {
                    classes.Add(counters);
                }
            });
        }
        return classes;
    }

    internal static ClassCounters? TryParse(string interfaceName, ReadOnlySpan<byte> payload)
    {
        var message = MemoryMarshal.Read<tcmsg>(payload);
        var attributes = RtAttributes.After<tcmsg>(payload);
        if (!RtAttributes.TryFind(attributes, pkt_sched.TCA_KIND, out var kind) || !kind.StartsWith("htb\0"u8) ||
            !RtAttributes.TryFind(attributes, pkt_sched.TCA_STATS2, out var stats) ||
            !RtAttributes.TryFind(stats, pkt_sched.TCA_STATS_BASIC, out var basic) || basic.Length < 12)
        {
            return null;
        }
        var drops = RtAttributes.TryFind(stats, pkt_sched.TCA_STATS_QUEUE, out var queue) && queue.Length >= 12
            ? MemoryMarshal.Read<uint>(queue[pkt_sched.gnet_stats_queue_drops..])
            : 0;
        // Netlink carries host byte order. tc(8) prints a handle as major:minor in hex ("1:10").
        var id = $"{message.tcm_handle >> 16:x}:{message.tcm_handle & 0xffff:x}";
        return new ClassCounters(interfaceName, id,
            (long)MemoryMarshal.Read<ulong>(basic),
            MemoryMarshal.Read<uint>(basic[pkt_sched.gnet_stats_basic_packets..]),
            drops);
    }
}
