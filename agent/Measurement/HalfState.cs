namespace CamaraQos.Agent.Measurement;

/// <summary>One RTT half of a flow over the current report interval: its histogram and its jitter.</summary>
public sealed class HalfState
{
    private long lastTicks = -1;

    public RttHistogram Histogram { get; } = new();

    /// <summary>
    /// RTT variation, smoothed as RFC 3550 §6.4.1 does for interarrival jitter: J += (|D| − J) / 16, D the
    /// difference between consecutive RTT samples. Carried across intervals, like the RFC's estimator.
    /// </summary>
    public double JitterTicks { get; private set; }

    public bool HasJitter => Histogram.Samples > 0 && lastTicks >= 0;

    public void Add(long rttTicks)
    {
        if (lastTicks >= 0)
        {
            JitterTicks += (Math.Abs(rttTicks - lastTicks) - JitterTicks) / 16.0;
        }
        lastTicks = rttTicks;
        Histogram.Add(rttTicks);
    }

    /// <summary>Starts a new report interval (the jitter estimator keeps running).</summary>
    public void ClearInterval() => Histogram.Clear();

    public void Reset()
    {
        Histogram.Clear();
        JitterTicks = 0;
        lastTicks = -1;
    }
}
