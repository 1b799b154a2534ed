using System.Collections.Concurrent;

namespace CamaraQos.Controller.Health;

public enum LoopStatus
{
    Alive,

    /// <summary>Still running but has not beaten within <see cref="LoopHeartbeats.WedgedAfter"/>.</summary>
    Wedged,

    /// <summary>Its task ended: crashed, or returned while it should loop forever.</summary>
    Dead,
}

public sealed record LoopHealth(string Name, LoopStatus Status, string Description);

/// <summary>
/// The background loops' heartbeats: each loop beats once per iteration; liveness (<c>/health/live</c>, the
/// systemd watchdog) is "every loop has beaten recently and none has ended". A loop whose iteration can
/// legitimately take long (a slow database, a broker outage bounded by its own timeouts) must not be
/// mistaken for a wedged one, hence a generous multiple of its own interval and a floor.
/// </summary>
public sealed class LoopHeartbeats(TimeProvider time)
{
    public const int IntervalsBeforeWedged = 10;
    public static readonly TimeSpan MinimumGrace = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Heartbeat> _loops = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts watching a loop, beating once now. <paramref name="interval"/> is the longest a healthy iteration
    /// takes between beats; <paramref name="owner"/>, when given, is dead once its execute task has ended.
    /// </summary>
    public Heartbeat Register(string name, TimeSpan interval, BackgroundService? owner = null)
    {
        var heartbeat = new Heartbeat(name, interval, owner, time);
        _loops[name] = heartbeat;
        return heartbeat;
    }

    public static TimeSpan WedgedAfter(TimeSpan interval) =>
        interval * IntervalsBeforeWedged > MinimumGrace ? interval * IntervalsBeforeWedged : MinimumGrace;

    public IReadOnlyList<LoopHealth> Check()
    {
        var now = time.GetUtcNow();
        return [.. _loops.Values.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => h.Check(now))];
    }

    public bool AllAlive => Check().All(l => l.Status == LoopStatus.Alive);

    public sealed class Heartbeat
    {
        private readonly TimeSpan _interval;
        private readonly BackgroundService? _owner;
        private readonly TimeProvider _time;
        private long _lastBeatTicks;

        internal Heartbeat(string name, TimeSpan interval, BackgroundService? owner, TimeProvider time)
        {
            (Name, _interval, _owner, _time) = (name, interval, owner, time);
            Beat();
        }

        public string Name { get; }

        public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, _time.GetUtcNow().UtcTicks);

        internal LoopHealth Check(DateTimeOffset now)
        {
            // ExecuteTask is set once ExecuteAsync has returned its task; until then the loop is starting.
            if (_owner?.ExecuteTask is { IsCompleted: true } task)
            {
                return new(Name, LoopStatus.Dead, task.IsFaulted ? "crashed" : "ended");
            }
            var silent = now - new DateTimeOffset(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);
            var limit = WedgedAfter(_interval);
            return silent > limit
                ? new(Name, LoopStatus.Wedged, $"no heartbeat for {Seconds(silent)} s (limit {Seconds(limit)} s)")
                : new(Name, LoopStatus.Alive, $"last heartbeat {Seconds(silent)} s ago");
        }

        private static long Seconds(TimeSpan span) => (long)Math.Max(0, span.TotalSeconds);
    }
}
