namespace CamaraQos.Agent.Liveness;

/// <summary>
/// One loop's proof of progress. The loop beats after each completed round (an expected failure it handles
/// counts: the loop is alive); an unexpected exception is logged and the round is tried again once
/// <see cref="Due"/>, after a growing delay, without a beat. A loop that has not beaten for <see cref="Limit"/> is late, and a late loop stops the systemd watchdog.
/// </summary>
public sealed class Heartbeat
{
    // Retries after an unexpected failure: 1 s, 2, 4 … 30 s; short enough that expiry stays near notAfter.
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly Action<Heartbeat, int, TimeSpan, Exception> _onFailure;
    private long _last;
    private int _waiting;
    private int _failures;
    private long _retryAt;

    internal Heartbeat(string name, TimeSpan limit, TimeProvider time, Action<Heartbeat, int, TimeSpan, Exception> onFailure)
    {
        Name = name;
        Limit = limit;
        _time = time;
        _onFailure = onFailure;
        _last = time.GetTimestamp();
    }

    public string Name { get; }

    /// <summary>How long the loop may go without a beat.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Unexpected failures since the last beat.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>A round completed.</summary>
    public void Beat()
    {
        Volatile.Write(ref _waiting, 0);
        Volatile.Write(ref _failures, 0);
        Volatile.Write(ref _last, _time.GetTimestamp());
    }

    /// <summary>The loop waits for work that may never come (a document from the controller): not late while it waits.</summary>
    public void Wait()
    {
        Beat();
        Volatile.Write(ref _waiting, 1);
    }

    /// <summary>
    /// Whether the loop should run its round now: false while it waits out the delay after a failure. Loops on a
    /// timer skip their ticks until then, so the retry needs no timer of its own.
    /// </summary>
    public bool Due => Volatile.Read(ref _failures) == 0 || _time.GetTimestamp() >= Volatile.Read(ref _retryAt);

    /// <summary>Logs an unexpected failure; the next round is <see cref="Due"/> after 1 s, 2, 4 … 30 s.</summary>
    public void Failed(Exception error)
    {
        var failures = Interlocked.Increment(ref _failures);
        var delay = TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << Math.Min(failures - 1, 16), LastRetry.Ticks));
        Volatile.Write(ref _retryAt, _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency));
        _onFailure(this, failures, delay, error);
    }

    /// <summary>How long since the last beat, when that is past <see cref="Limit"/>; null while on time or waiting.</summary>
    public TimeSpan? Overdue()
    {
        if (Volatile.Read(ref _waiting) == 1)
        {
            return null;
        }
        var since = _time.GetElapsedTime(Volatile.Read(ref _last));
        return since > Limit ? since : null;
    }
}
