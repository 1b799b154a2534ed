namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Up to four sequence gaps (data not seen yet below the highest end). When more appear the oldest is
/// forgotten, and a late segment filling it then counts as a retransmission: loss is over-reported
/// rather than hidden.
/// </summary>
internal sealed partial class DirectionState
{
    private bool InsideHole(uint seq, uint end) => FindHole(seq, end) >= 0;

    private int FindHole(uint seq, uint end)
    {
        for (var i = 0; i < holeCount; i++)
        {
            if (Serial.AtOrBefore(holeStarts[i], seq) && Serial.AtOrBefore(end, holeEnds[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private void AddHole(uint start, uint end)
    {
        if (holeCount == HoleSlots)
        {
            RemoveHole(0);
        }
        holeStarts[holeCount] = start;
        holeEnds[holeCount] = end;
        holeCount++;
    }

    private void FillHole(int i, uint seq, uint end)
    {
        var (start, stop) = (holeStarts[i], holeEnds[i]);
        RemoveHole(i);
        if (Serial.Before(start, seq))
        {
            AddHole(start, seq);
        }
        if (Serial.Before(end, stop))
        {
            AddHole(end, stop);
        }
    }

    private void RemoveHole(int i)
    {
        for (var j = i; j < holeCount - 1; j++)
        {
            holeStarts[j] = holeStarts[j + 1];
            holeEnds[j] = holeEnds[j + 1];
        }
        holeCount--;
    }
}
