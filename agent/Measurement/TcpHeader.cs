using System.Buffers.Binary;

namespace CamaraQos.Agent.Measurement;

/// <summary>The TCP header and its timestamp option (RFC 9293 §3.1; RFC 7323 §3: kind 8, length 10).</summary>
internal static class TcpHeader
{
    private const byte OptionEnd = 0;
    private const byte OptionNoOperation = 1;
    private const byte OptionTimestamp = 8;

    /// <param name="tcp">The bytes captured from the TCP header on.</param>
    /// <param name="tcpLength">The TCP length the IP header states (header plus payload).</param>
    public static bool TryParse(ReadOnlySpan<byte> tcp, int tcpLength, ref TcpSegment segment)
    {
        if (tcp.Length < 20)
        {
            return false;
        }
        var headerLength = (tcp[12] >> 4) * 4;
        if (headerLength < 20 || tcp.Length < headerLength || tcpLength < headerLength)
        {
            return false;
        }
        segment.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(tcp);
        segment.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]);
        segment.Sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]);
        segment.Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]);
        segment.Flags = tcp[13];
        segment.PayloadLength = tcpLength - headerLength;
        ReadTimestamp(tcp[20..headerLength], ref segment);
        return true;
    }

    private static void ReadTimestamp(ReadOnlySpan<byte> options, ref TcpSegment segment)
    {
        var i = 0;
        while (i < options.Length)
        {
            var kind = options[i];
            if (kind == OptionEnd)
            {
                return;
            }
            if (kind == OptionNoOperation)
            {
                i++;
                continue;
            }
            if (i + 1 >= options.Length || options[i + 1] < 2 || i + options[i + 1] > options.Length)
            {
                return;
            }
            if (kind == OptionTimestamp && options[i + 1] == 10)
            {
                segment.HasTimestamp = true;
                segment.TsVal = BinaryPrimitives.ReadUInt32BigEndian(options[(i + 2)..]);
                segment.TsEcr = BinaryPrimitives.ReadUInt32BigEndian(options[(i + 6)..]);
                return;
            }
            i += options[i + 1];
        }
    }
}
