using CamaraQos.Shared;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Controller.Health;

/// <summary>
/// Sends WATCHDOG=1 at half the interval systemd asks for (<see cref="WatchdogInterval"/>), but only while
/// every background loop beats (the liveness of <c>/health/live</c>): a controller whose expiry or outbox
/// loop is wedged serves requests yet does its job no more, so systemd should restart it.
/// </summary>
public sealed partial class SystemdWatchdog(
    ISystemdNotifier notifier,
    LoopHeartbeats heartbeats,
    TimeProvider time,
    ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");
    private bool _withholding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = WatchdogInterval.FromEnvironment();
        if (interval is null || !notifier.IsEnabled)
        {
            return;
        }
        LogEnabled(logger, interval.Value.TotalSeconds);
        using var timer = new PeriodicTimer(interval.Value, time);
        do
        {
            PingIfAlive();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One watchdog period: pings when every loop is alive; true when it pinged.</summary>
    internal bool PingIfAlive()
    {
        var bad = heartbeats.Check().Where(l => l.Status != LoopStatus.Alive).ToList();
        if (bad.Count == 0)
        {
            notifier.Notify(Ping);
            _withholding = false;
            return true;
        }
        if (!_withholding)
        {
            // Logged once per episode: systemd's restart follows, and the log should say why.
            LogWithholding(logger, string.Join(", ", bad.Select(l => $"{l.Name} ({l.Status}: {l.Description})")));
            _withholding = true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog on: WATCHDOG=1 every {Seconds} s while the background loops are alive")]
    private static partial void LogEnabled(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Withholding the systemd watchdog ping, expect a restart: {Loops}")]
    private static partial void LogWithholding(ILogger logger, string loops);
}
