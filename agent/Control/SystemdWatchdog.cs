using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Sends WATCHDOG=1 at half the interval systemd asks for (WATCHDOG_USEC, sd_watchdog_enabled(3)); AddSystemd
/// only sends READY/STOPPING. A hung process (thread pool starved, deadlock) stops pinging and is restarted.
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, TimeProvider time) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    public static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }
        // WATCHDOG_PID, when set, names the process the watchdog is meant for.
        if (watchdogPid is { Length: > 0 } && watchdogPid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return TimeSpan.FromTicks(usec * 10 / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (interval is null || !notifier.IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval.Value, time);
        do
        {
            notifier.Notify(Ping);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
