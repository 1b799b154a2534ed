using CamaraQos.Agent.Configuration;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Reconnect timing: the k-th retry waits a random time in [min·m^k, min·m^(k+1)], capped at max. This is
/// the randomized exponential backoff of TR-369 (USP) §10.2.1 / TR-069 §3.2.1.1 that obuspa implements:
/// the random window spreads a fleet's reconnections after a broker restart.
/// </summary>
public sealed class Backoff(BackoffPolicy policy, Func<double> random)
{
    private int _attempt;

    public Backoff(BackoffPolicy policy) : this(policy, Random.Shared.NextDouble)
    {
    }

    /// <summary>How many retries since the last success.</summary>
    public int Attempt => _attempt;

    public TimeSpan Next()
    {
        var low = Bound(_attempt);
        var high = Bound(_attempt + 1);
        _attempt = Math.Min(_attempt + 1, 64);
        var seconds = low + ((high - low) * random());
        return TimeSpan.FromSeconds(Math.Min(seconds, policy.Maximum.TotalSeconds));
    }

    /// <summary>A session came up: the next failure starts from the minimum again.</summary>
    public void Reset() => _attempt = 0;

    private double Bound(int attempt) =>
        Math.Min(policy.Minimum.TotalSeconds * Math.Pow(policy.Multiplier, attempt), policy.Maximum.TotalSeconds);
}
