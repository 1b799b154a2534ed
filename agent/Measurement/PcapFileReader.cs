using System.Buffers.Binary;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Reads a classic pcap file (the libpcap format, draft-ietf-opsawg-pcap): a 24-byte header whose magic
/// gives byte order and µs/ns resolution, then records of (seconds, fraction, captured length, original
/// length, bytes). Pure managed code, so the replay mode needs no libpcap. One reused buffer.
/// </summary>
public sealed class PcapFileReader : IDisposable
{
    private const uint MagicMicroseconds = 0xA1B2C3D4;
    private const uint MagicNanoseconds = 0xA1B23C4D;
    private const int MaxRecord = 256 * 1024;

    private readonly Stream stream;
    private readonly bool bigEndian;
    private readonly bool nanoseconds;
    private readonly byte[] buffer = new byte[MaxRecord];

    public PcapFileReader(Stream stream)
    {
        this.stream = stream;
        Span<byte> header = stackalloc byte[24];
        if (stream.ReadAtLeast(header, 24, throwOnEndOfStream: false) < 24)
        {
            throw new InvalidDataException("not a pcap file: shorter than its 24-byte header");
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        bigEndian = magic is not (MagicMicroseconds or MagicNanoseconds);
        magic = bigEndian ? BinaryPrimitives.ReverseEndianness(magic) : magic;
        if (magic is not (MagicMicroseconds or MagicNanoseconds))
        {
            throw new InvalidDataException("not a pcap file (pcapng is not supported): unknown magic number");
        }
        nanoseconds = magic == MagicNanoseconds;
        Link = (Read32(header[20..]) & 0x0FFFFFFF) switch
        {
            1 => LinkLayer.Ethernet,
            101 => LinkLayer.RawIp,
            var other => throw new InvalidDataException($"unsupported pcap link type {other} (Ethernet 1 or raw IP 101)"),
        };
    }

    public LinkLayer Link { get; }

    /// <summary>The next record; false at the end of the file.</summary>
    public bool TryRead(out long timestampTicks, out ReadOnlyMemory<byte> frame)
    {
        Span<byte> record = stackalloc byte[16];
        timestampTicks = 0;
        frame = default;
        var read = stream.ReadAtLeast(record, 16, throwOnEndOfStream: false);
        if (read == 0)
        {
            return false;
        }
        var length = read < 16 ? uint.MaxValue : Read32(record[8..]);
        if (length > MaxRecord || stream.ReadAtLeast(buffer.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false) < length)
        {
            throw new InvalidDataException("truncated or corrupt pcap record");
        }
        var fraction = Read32(record[4..]);
        timestampTicks = Read32(record) * TimeSpan.TicksPerSecond + (nanoseconds ? fraction / 100 : fraction * 10L);
        frame = buffer.AsMemory(0, (int)length);
        return true;
    }

    private uint Read32(ReadOnlySpan<byte> bytes) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    public void Dispose() => stream.Dispose();
}
