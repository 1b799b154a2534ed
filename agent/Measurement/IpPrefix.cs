using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// An address prefix over the engine's 128-bit addresses (IPv4 as ::ffff:0:0/96 + the IPv4 prefix), so
/// the per-flow "is this the device?" check is two integer operations.
/// </summary>
public readonly record struct IpPrefix(UInt128 Network, int Length)
{
    private UInt128 Mask => Length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - Length);

    public bool Contains(UInt128 address) => (address & Mask) == Network;

    /// <summary>Parses CIDR text (<c>192.168.1.0/24</c>, <c>2001:db8::/56</c>); host bits are cleared.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IpPrefix? prefix)
    {
        prefix = null;
        if (!IPNetwork.TryParse(text, out var network))
        {
            return false;
        }
        var v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var length = network.PrefixLength + (v4 ? 96 : 0);
        var value = new IpPrefix(ToUInt128(network.BaseAddress), length);
        prefix = value with { Network = value.Network & value.Mask };
        return true;
    }

    public static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _)
            ? FrameParser.Mapped(BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : address.TryWriteBytes(bytes, out _) ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : UInt128.Zero;
    }

    public static IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
