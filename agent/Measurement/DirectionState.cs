namespace CamaraQos.Agent.Measurement;

/// <summary>What a data segment turned out to be.</summary>
internal enum SegmentKind : byte
{
    New,
    Reordered,
    Retransmission,
}

/// <summary>
/// One direction of a flow: the TSvals and data segments it sent that still wait for an echo, what it
/// has sent so far (to tell retransmissions from reordering) and its counters for the report interval.
/// Every array is sized once, so memory does not grow with traffic.
/// </summary>
internal sealed partial class DirectionState
{
    private readonly uint[] tsValues;
    private readonly long[] tsSeenAt;
    private int tsNext;
    private uint lastTsVal;
    private bool hasLastTsVal;

    public DirectionState(int timestampSlots, int segmentSlots)
    {
        tsValues = new uint[timestampSlots];
        tsSeenAt = new long[timestampSlots];
        segmentStarts = new uint[segmentSlots];
        segmentEnds = new uint[segmentSlots];
        segmentSeenAt = new long[segmentSlots];
        segmentFlags = new byte[segmentSlots];
        Reset();
    }

    public long Bytes { get; set; }

    public long Packets { get; set; }

    /// <summary>New TCP payload bytes (retransmitted data excluded): the goodput of the interval.</summary>
    public long Payload { get; set; }

    public long Retransmissions { get; set; }

    public long Reordered { get; set; }

    public void Reset()
    {
        Array.Fill(tsSeenAt, -1);
        hasLastTsVal = false;
        tsNext = 0;
        Array.Clear(segmentFlags);
        segmentNext = 0;
        hasHighest = false;
        hasAcked = false;
        holeCount = 0;
        ClearInterval();
    }

    public void ClearInterval()
    {
        Bytes = 0;
        Packets = 0;
        Payload = 0;
        Retransmissions = 0;
        Reordered = 0;
    }

    /// <summary>Remembers when a TSval was first seen; repeats of the same TSval keep the first time (pping).</summary>
    public void RememberTsVal(uint tsVal, long now)
    {
        if (hasLastTsVal && tsVal == lastTsVal)
        {
            return;
        }
        lastTsVal = tsVal;
        hasLastTsVal = true;
        tsValues[tsNext] = tsVal;
        tsSeenAt[tsNext] = now;
        tsNext = (tsNext + 1) % tsValues.Length;
    }

    /// <summary>The first echo of a remembered TSval yields its first-seen time; later echoes of it yield nothing.</summary>
    public bool TryEcho(uint tsEcr, out long seenAt)
    {
        for (var i = 0; i < tsValues.Length; i++)
        {
            if (tsSeenAt[i] >= 0 && tsValues[i] == tsEcr)
            {
                seenAt = tsSeenAt[i];
                tsSeenAt[i] = -1;
                return true;
            }
        }
        seenAt = 0;
        return false;
    }
}
