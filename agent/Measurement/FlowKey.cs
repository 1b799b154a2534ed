namespace CamaraQos.Agent.Measurement;

/// <summary>
/// A TCP connection as seen on one capture side, normalised so both directions map to the same key: the
/// lower (address, port) endpoint comes first and <see cref="Of"/> says whether a packet came from it.
/// The side is part of the key because a gateway sees each packet twice (LAN, then WAN) and each sighting
/// has its own timing state.
/// </summary>
public readonly record struct FlowKey(UInt128 LowAddress, ushort LowPort, UInt128 HighAddress, ushort HighPort, CaptureSide Side)
{
    internal static FlowKey Of(in TcpSegment segment, CaptureSide side, out bool fromLow)
    {
        fromLow = segment.Source < segment.Destination
            || (segment.Source == segment.Destination && segment.SourcePort <= segment.DestinationPort);
        return fromLow
            ? new FlowKey(segment.Source, segment.SourcePort, segment.Destination, segment.DestinationPort, side)
            : new FlowKey(segment.Destination, segment.DestinationPort, segment.Source, segment.SourcePort, side);
    }
}
