namespace CamaraQos.Agent.Measurement;

/// <summary>
/// The fields of one TCP segment the engine needs, read straight from the frame (no allocation).
/// Addresses are 128-bit; IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d, RFC 4291 §2.5.5.2).
/// </summary>
internal struct TcpSegment
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Ack = 0x10;

    public UInt128 Source;
    public UInt128 Destination;
    public ushort SourcePort;
    public ushort DestinationPort;
    public uint Sequence;
    public uint Acknowledgment;
    public byte Flags;
    public int PayloadLength;
    public int IpLength;
    public bool HasTimestamp;
    public uint TsVal;
    public uint TsEcr;

    public readonly bool IsSyn => (Flags & Syn) != 0;

    public readonly bool IsAck => (Flags & Ack) != 0;

    /// <summary>Sequence space used: payload, plus one each for SYN and FIN (RFC 9293 §3.4).</summary>
    public readonly uint SequenceLength =>
        (uint)PayloadLength + ((Flags & Syn) != 0 ? 1u : 0u) + ((Flags & Fin) != 0 ? 1u : 0u);

    public readonly uint SequenceEnd => Sequence + SequenceLength;
}
