using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native names are kept exactly as the kernel header spells them

namespace CamaraQos.Agent.Native.Linux;

// <linux/neighbour.h>

[StructLayout(LayoutKind.Sequential)]
internal struct ndmsg
{
    public byte ndm_family;
    public byte ndm_pad1;
    public ushort ndm_pad2;
    public int ndm_ifindex;
    public ushort ndm_state;
    public byte ndm_flags;
    public byte ndm_type;
}

[StructLayout(LayoutKind.Sequential)]
internal struct nda_cacheinfo
{
    public uint ndm_confirmed;
    public uint ndm_used;
    public uint ndm_updated;
    public uint ndm_refcnt;
}

internal static class neighbour
{
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort NDA_CACHEINFO = 3;

    public const ushort NUD_INCOMPLETE = 0x01;
    public const ushort NUD_REACHABLE = 0x02;
    public const ushort NUD_STALE = 0x04;
    public const ushort NUD_DELAY = 0x08;
    public const ushort NUD_PROBE = 0x10;
    public const ushort NUD_FAILED = 0x20;
    public const ushort NUD_NOARP = 0x40;
    public const ushort NUD_PERMANENT = 0x80;
}
