using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Liveness;

/// <summary>
/// Sends WATCHDOG=1 at half the interval systemd asks for (<see cref="CamaraQos.Shared.WatchdogInterval"/>); AddSystemd
/// only sends READY/STOPPING. It pings only while every registered loop beats (<see cref="Heartbeats"/>): a
/// stuck expiry loop, a hung kernel call or a starved thread pool stops the pings, and systemd restarts the agent
/// (WatchdogSec in the unit) instead of keeping QoS past notAfter.
/// </summary>
public sealed partial class SystemdWatchdog(
    ISystemdNotifier notifier, Heartbeats heartbeats, TimeProvider time, ILogger<SystemdWatchdog> log, TimeSpan? interval)
    : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");
    private string? _withheldFor;

    /// <summary>One round: ping when every loop is on time, else hold the ping back (logged once per late loop).</summary>
    public bool Tick()
    {
        if (heartbeats.Late() is { } late)
        {
            if (_withheldFor != late.Loop.Name)
            {
                Withheld(log, late.Loop.Name, late.Overdue, late.Loop.Limit);
            }
            _withheldFor = late.Loop.Name;
            return false;
        }
        if (_withheldFor is { } loop)
        {
            Resumed(log, loop);
            _withheldFor = null;
        }
        notifier.Notify(Ping);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval is not { } period || !notifier.IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(period, time);
        do
        {
            Tick();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(1, LogLevel.Critical, "The {Loop} loop has made no progress for {Overdue} (limit {Limit}): the systemd watchdog is no longer fed")]
    private static partial void Withheld(ILogger logger, string loop, TimeSpan overdue, TimeSpan limit);

    [LoggerMessage(2, LogLevel.Warning, "The {Loop} loop is making progress again: the systemd watchdog is fed again")]
    private static partial void Resumed(ILogger logger, string loop);
}
