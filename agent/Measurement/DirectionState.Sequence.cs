namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Sequence tracking: data segments waiting for their ACK (the fallback RTT when a flow sends no
/// timestamps) and the holes below the highest sequence seen. Old data that fills a hole is reordering;
/// old data that does not is a retransmission, and Karn's rule (RFC 6298 §3) then forbids sampling it.
/// </summary>
internal sealed partial class DirectionState
{
    private const byte SlotUsed = 1;
    private const byte SlotRetransmitted = 2;
    private const int HoleSlots = 4;

    private readonly uint[] segmentStarts;
    private readonly uint[] segmentEnds;
    private readonly long[] segmentSeenAt;
    private readonly byte[] segmentFlags;
    private readonly uint[] holeStarts = new uint[HoleSlots];
    private readonly uint[] holeEnds = new uint[HoleSlots];
    private int segmentNext;
    private int holeCount;
    private uint highest;
    private bool hasHighest;
    private uint ackedUpTo;
    private bool hasAcked;

    /// <param name="remember">Keep the segment for a SEQ/ACK sample (only when the flow has no timestamps).</param>
    public SegmentKind OnData(uint seq, uint end, long now, bool remember)
    {
        if (!hasHighest || Serial.After(end, highest))
        {
            var overlapsSeen = hasHighest && Serial.Before(seq, highest) && !InsideHole(seq, highest);
            if (hasHighest && Serial.After(seq, highest))
            {
                AddHole(highest, seq);
            }
            highest = end;
            hasHighest = true;
            return overlapsSeen ? Retransmitted(seq, end) : Remembered(seq, end, now, remember, SegmentKind.New);
        }
        var hole = (hasAcked && Serial.AtOrBefore(end, ackedUpTo)) ? -1 : FindHole(seq, end);
        if (hole < 0)
        {
            return Retransmitted(seq, end);
        }
        FillHole(hole, seq, end);
        Reordered++;
        return Remembered(seq, end, now, remember, SegmentKind.Reordered);
    }

    /// <summary>
    /// The first ACK at or past a remembered segment's end samples the newest such segment, unless any
    /// segment it covers was retransmitted (Karn). Covered segments are then forgotten.
    /// </summary>
    public bool TryAcknowledge(uint ack, out long seenAt)
    {
        ackedUpTo = hasAcked ? Serial.Max(ackedUpTo, ack) : ack;
        hasAcked = true;
        seenAt = 0;
        var newest = -1;
        var retransmitted = false;
        for (var i = 0; i < segmentEnds.Length; i++)
        {
            if ((segmentFlags[i] & SlotUsed) == 0 || Serial.After(segmentEnds[i], ack))
            {
                continue;
            }
            retransmitted |= (segmentFlags[i] & SlotRetransmitted) != 0;
            if (newest < 0 || Serial.After(segmentEnds[i], segmentEnds[newest]))
            {
                newest = i;
            }
            segmentFlags[i] = 0;
        }
        if (newest < 0 || retransmitted)
        {
            return false;
        }
        seenAt = segmentSeenAt[newest];
        return true;
    }

    private SegmentKind Remembered(uint seq, uint end, long now, bool remember, SegmentKind kind)
    {
        if (remember)
        {
            segmentStarts[segmentNext] = seq;
            segmentEnds[segmentNext] = end;
            segmentSeenAt[segmentNext] = now;
            segmentFlags[segmentNext] = SlotUsed;
            segmentNext = (segmentNext + 1) % segmentEnds.Length;
        }
        return kind;
    }

    private SegmentKind Retransmitted(uint seq, uint end)
    {
        for (var i = 0; i < segmentEnds.Length; i++)
        {
            if ((segmentFlags[i] & SlotUsed) != 0 && Serial.Before(segmentStarts[i], end) && Serial.Before(seq, segmentEnds[i]))
            {
                segmentFlags[i] |= SlotRetransmitted;
            }
        }
        Retransmissions++;
        return SegmentKind.Retransmission;
    }
}
