using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native names are kept exactly as the kernel header spells them

namespace CamaraQos.Agent.Native.Linux;

// <linux/netlink.h>: names kept exactly as the kernel header spells them (tmds style).

[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_nl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}

[StructLayout(LayoutKind.Sequential)]
internal struct nlmsghdr
{
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}

internal static class netlink
{
    public const int NETLINK_ROUTE = 0;

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    // Modifiers to NEW requests (tc(8) "replace" sends NLM_F_CREATE | NLM_F_REPLACE).
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_CREATE = 0x400;

    // Flags of an error message: the request is not echoed (NETLINK_CAP_ACK), TLVs follow (NETLINK_EXT_ACK).
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const ushort NLMSG_NOOP = 0x1;
    public const ushort NLMSG_ERROR = 0x2;
    public const ushort NLMSG_DONE = 0x3;

    public const int NLMSG_ALIGNTO = 4;

    public static int NLMSG_ALIGN(int len) => (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

    public static unsafe int NLMSG_HDRLEN => NLMSG_ALIGN(sizeof(nlmsghdr));
}

/// <summary>struct timeval for SO_RCVTIMEO (SO_RCVTIMEO_OLD: native longs, as the C library passes it).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct timeval
{
    public nint tv_sec;
    public nint tv_usec;
}
