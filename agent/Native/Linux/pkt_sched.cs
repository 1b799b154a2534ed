using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native names are kept exactly as the kernel header spells them

namespace CamaraQos.Agent.Native.Linux;

// <linux/rtnetlink.h> (tcmsg, TCA_*), <linux/pkt_sched.h> (HTB, fifo, CAKE), <linux/gen_stats.h> (TCA_STATS_*, gnet_stats_*)

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

[StructLayout(LayoutKind.Sequential)]
internal struct tc_ratespec
{
    public byte cell_log;
    public byte linklayer;
    public ushort overhead;
    public short cell_align;
    public ushort mpu;
    public uint rate;
}

[StructLayout(LayoutKind.Sequential)]
internal struct tc_htb_opt
{
    public tc_ratespec rate;
    public tc_ratespec ceil;
    public uint buffer;
    public uint cbuffer;
    public uint quantum;
    public uint level;
    public uint prio;
}

[StructLayout(LayoutKind.Sequential)]
internal struct tc_htb_glob
{
    public uint version;
    public uint rate2quantum;
    public uint defcls;
    public uint debug;
    public uint direct_pkts;
}

internal static class pkt_sched
{
    public const ushort RTM_NEWQDISC = 36;
    public const ushort RTM_DELQDISC = 37;
    public const ushort RTM_GETQDISC = 38;
    public const ushort RTM_NEWTCLASS = 40;
    public const ushort RTM_GETTCLASS = 42;

    public const uint TC_H_ROOT = 0xFFFFFFFF;
    public const uint TC_H_INGRESS = 0xFFFFFFF1;

    public const ushort TCA_KIND = 1;
    public const ushort TCA_OPTIONS = 2;
    public const ushort TCA_STATS2 = 7;

    public const ushort TCA_HTB_PARMS = 1;
    public const ushort TCA_HTB_INIT = 2;
    public const ushort TCA_HTB_RATE64 = 6;
    public const ushort TCA_HTB_CEIL64 = 7;

    /// <summary>TC_HTB_PROTOVER: the version tc(8) sends in tc_htb_glob.</summary>
    public const uint TC_HTB_PROTOVER = 3;
    public const byte TC_LINKLAYER_ETHERNET = 1;

    public const ushort TCA_CAKE_BASE_RATE64 = 2;
    public const ushort TCA_CAKE_DIFFSERV_MODE = 3;
    public const uint CAKE_DIFFSERV_BESTEFFORT = 3;

    public const ushort TCA_STATS_BASIC = 1;
    public const ushort TCA_STATS_QUEUE = 3;

    /// <summary>struct gnet_stats_basic { __u64 bytes; __u32 packets; }</summary>
    public const int gnet_stats_basic_packets = 8;

    /// <summary>struct gnet_stats_queue { __u32 qlen, backlog, drops, requeues, overlimits; }</summary>
    public const int gnet_stats_queue_drops = 8;
}
