using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native names are kept exactly as the kernel header spells them

namespace CamaraQos.Agent.Native.Linux;

// <linux/rtnetlink.h> (tcmsg, TCA_*), <linux/gen_stats.h> (TCA_STATS_*, gnet_stats_*)

[StructLayout(LayoutKind.Sequential)]
internal struct tcmsg
{
    public byte tcm_family;
    public byte tcm__pad1;
    public ushort tcm__pad2;
    public int tcm_ifindex;
    public uint tcm_handle;
    public uint tcm_parent;
    public uint tcm_info;
}

internal static class pkt_sched
{
    public const ushort RTM_NEWTCLASS = 40;
    public const ushort RTM_GETTCLASS = 42;

    public const ushort TCA_KIND = 1;
    public const ushort TCA_STATS2 = 7;

    public const ushort TCA_STATS_BASIC = 1;
    public const ushort TCA_STATS_QUEUE = 3;

    /// <summary>struct gnet_stats_basic { __u64 bytes; __u32 packets; }</summary>
    public const int gnet_stats_basic_packets = 8;

    /// <summary>struct gnet_stats_queue { __u32 qlen, backlog, drops, requeues, overlimits; }</summary>
    public const int gnet_stats_queue_drops = 8;
}
