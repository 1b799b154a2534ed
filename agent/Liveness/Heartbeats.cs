using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Liveness;

/// <summary>
/// The agent's loops (expiry, desired pump, network watcher, telemetry) and their heartbeats: what
/// <see cref="SystemdWatchdog"/> asks before it feeds systemd.
/// </summary>
public sealed partial class Heartbeats(TimeProvider time, ILogger<Heartbeats> log)
{
    /// <summary>A loop is late after this many of its intervals without a beat, and never before <see cref="MinimumLimit"/>.</summary>
    public const int LimitIntervals = 30;

    /// <summary>Generous: a kernel apply of a large document, or one that times out, must not look like a hang.</summary>
    public static readonly TimeSpan MinimumLimit = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly List<Heartbeat> _loops = [];

    /// <summary>Called by a loop as it starts; <paramref name="interval"/> is how often it means to beat.</summary>
    public Heartbeat Register(string name, TimeSpan interval)
    {
        var limit = TimeSpan.FromTicks(Math.Max(interval.Ticks * LimitIntervals, MinimumLimit.Ticks));
        var heartbeat = new Heartbeat(name, limit, time, (h, failures, delay, e) => LoopFailed(log, h.Name, failures, delay, e));
        lock (_lock)
        {
            _loops.Add(heartbeat);
        }
        return heartbeat;
    }

    /// <summary>The first loop past its limit, with how long it has gone without a beat; null when all are on time.</summary>
    public (Heartbeat Loop, TimeSpan Overdue)? Late()
    {
        lock (_lock)
        {
            foreach (var loop in _loops)
            {
                if (loop.Overdue() is { } overdue)
                {
                    return (loop, overdue);
                }
            }
        }
        return null;
    }

    [LoggerMessage(1, LogLevel.Error, "The {Loop} loop failed (failure {Failures} in a row); it tries again in {Delay}")]
    private static partial void LoopFailed(ILogger logger, string loop, int failures, TimeSpan delay, Exception exception);
}
