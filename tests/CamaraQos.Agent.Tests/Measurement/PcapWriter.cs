using System.Buffers.Binary;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>Writes a classic little-endian microsecond pcap file of Ethernet frames, by hand.</summary>
internal static class PcapWriter
{
    public static void Write(string path, IEnumerable<(long Ticks, byte[] Frame)> records)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        file.Write(header);
        Span<byte> record = stackalloc byte[16];
        foreach (var (ticks, frame) in records)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(ticks / TimeSpan.TicksPerSecond));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(ticks % TimeSpan.TicksPerSecond / 10));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }
}
