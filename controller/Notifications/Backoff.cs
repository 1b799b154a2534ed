namespace CamaraQos.Controller.Notifications;

/// <summary>
/// Randomized exponential backoff ("equal jitter"): the n-th retry waits between half and all of
/// min(max, initial·2^(n-1)), so senders that failed together do not retry together.
/// </summary>
public static class Backoff
{
    /// <param name="failedAttempts">Attempts made so far (1 after the first failure).</param>
    /// <param name="random">A sample in [0, 1).</param>
    public static TimeSpan Next(int failedAttempts, TimeSpan initial, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        var ticks = ceiling / 2 + ceiling / 2 * Math.Clamp(random, 0, 1);
        return TimeSpan.FromTicks((long)ticks);
    }
}
