namespace CamaraQos.Controller.Agents;

/// <summary>
/// Randomized exponential backoff ("full jitter"): a fleet that lost its broker does not come back
/// in lockstep. Delay n is uniform in [base, min(cap, base·2ⁿ)].
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(initial.TotalMilliseconds + (Random.Shared.NextDouble() * (ceiling - initial.TotalMilliseconds)));
    }

    public void Reset() => _attempt = 0;
}
