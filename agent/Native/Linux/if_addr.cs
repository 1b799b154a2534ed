using System.Runtime.InteropServices;

#pragma warning disable CS8981 // native names are kept exactly as the kernel header spells them

namespace CamaraQos.Agent.Native.Linux;

// <linux/if_addr.h>

[StructLayout(LayoutKind.Sequential)]
internal struct ifaddrmsg
{
    public byte ifa_family;
    public byte ifa_prefixlen;
    public byte ifa_flags;
    public byte ifa_scope;
    public uint ifa_index;
}

internal static class if_addr
{
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
}
