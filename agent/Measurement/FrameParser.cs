using System.Buffers.Binary;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Reads Ethernet (with up to two 802.1Q/802.1ad tags) / IPv4 or IPv6 / TCP headers in place. Lengths
/// come from the IP header, not the frame, so Ethernet padding and a short capture snaplen do not matter:
/// only the headers must be present.
/// </summary>
internal static class FrameParser
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const byte ProtocolTcp = 6;

    public static bool TryParse(ReadOnlySpan<byte> frame, LinkLayer link, out TcpSegment segment)
    {
        segment = default;
        return link == LinkLayer.RawIp ? TryParseIp(frame, ref segment) : TryParseEthernet(frame, ref segment);
    }

    private static bool TryParseEthernet(ReadOnlySpan<byte> frame, ref TcpSegment segment)
    {
        var offset = 12;
        for (var tags = 0; tags <= 2; tags++)
        {
            if (frame.Length < offset + 2)
            {
                return false;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
            if (type is 0x8100 or 0x88A8)
            {
                offset += 4;
                continue;
            }
            return type is EtherTypeIPv4 or EtherTypeIPv6 && TryParseIp(frame[(offset + 2)..], ref segment);
        }
        return false;
    }

    private static bool TryParseIp(ReadOnlySpan<byte> ip, ref TcpSegment segment) => ip.Length > 0 && (ip[0] >> 4) switch
    {
        4 => TryParseIPv4(ip, ref segment),
        6 => TryParseIPv6(ip, ref segment),
        _ => false,
    };

    private static bool TryParseIPv4(ReadOnlySpan<byte> ip, ref TcpSegment segment)
    {
        if (ip.Length < 20)
        {
            return false;
        }
        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        // Fragments other than a whole datagram carry no (or a partial) TCP header: skip them (RFC 791 §3.1).
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3FFF;
        if (ip[9] != ProtocolTcp || fragment != 0 || headerLength < 20 || totalLength < headerLength || ip.Length < headerLength)
        {
            return false;
        }
        segment.Source = Mapped(BinaryPrimitives.ReadUInt32BigEndian(ip[12..]));
        segment.Destination = Mapped(BinaryPrimitives.ReadUInt32BigEndian(ip[16..]));
        segment.IpLength = totalLength;
        return TcpHeader.TryParse(ip[headerLength..], totalLength - headerLength, ref segment);
    }

    private static bool TryParseIPv6(ReadOnlySpan<byte> ip, ref TcpSegment segment)
    {
        if (ip.Length < 40)
        {
            return false;
        }
        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        var next = ip[6];
        var offset = 40;
        // Hop-by-hop (0), routing (43) and destination options (60) are skipped; a fragment (44) is not
        // followed (RFC 8200 §4).
        while (next is 0 or 43 or 60 && ip.Length >= offset + 8)
        {
            next = ip[offset];
            offset += (ip[offset + 1] + 1) * 8;
        }
        if (next != ProtocolTcp || ip.Length < offset || payloadLength + 40 < offset)
        {
            return false;
        }
        segment.Source = BinaryPrimitives.ReadUInt128BigEndian(ip[8..]);
        segment.Destination = BinaryPrimitives.ReadUInt128BigEndian(ip[24..]);
        segment.IpLength = payloadLength + 40;
        return TcpHeader.TryParse(ip[offset..], payloadLength + 40 - offset, ref segment);
    }

    /// <summary>::ffff:a.b.c.d (RFC 4291 §2.5.5.2).</summary>
    public static UInt128 Mapped(uint ipv4) => ((UInt128)0xFFFF << 32) | ipv4;
}
