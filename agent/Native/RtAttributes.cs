using System.Runtime.InteropServices;
using CamaraQos.Agent.Native.Linux;

namespace CamaraQos.Agent.Native;

/// <summary>Reads the rtattr list that follows a fixed rtnetlink header (rtnetlink(7), RTA_* macros).</summary>
internal static class RtAttributes
{
    public static unsafe bool TryFind(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> value)
    {
        var headerLength = rtnetlink.RTA_ALIGN(sizeof(rtattr));
        while (attributes.Length >= headerLength)
        {
            var attribute = MemoryMarshal.Read<rtattr>(attributes);
            if (attribute.rta_len < headerLength || attribute.rta_len > attributes.Length)
            {
                break;
            }
            // The top bits are NLA_F_NESTED / NLA_F_NET_BYTEORDER, not part of the type.
            if ((attribute.rta_type & 0x3fff) == type)
            {
                value = attributes[headerLength..attribute.rta_len];
                return true;
            }
            var next = rtnetlink.RTA_ALIGN(attribute.rta_len);
            attributes = next >= attributes.Length ? default : attributes[next..];
        }
        value = default;
        return false;
    }

    /// <summary>The attributes after a fixed header of type <typeparamref name="T"/>.</summary>
    public static unsafe ReadOnlySpan<byte> After<T>(ReadOnlySpan<byte> payload) where T : unmanaged
    {
        var fixedLength = Linux.netlink.NLMSG_ALIGN(sizeof(T));
        return payload.Length <= fixedLength ? default : payload[fixedLength..];
    }
}
