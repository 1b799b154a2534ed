using CamaraQos.Shared;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Sends WATCHDOG=1 at half the interval systemd asks for (<see cref="WatchdogInterval"/>); AddSystemd
/// only sends READY/STOPPING. A hung process (thread pool starved, deadlock) stops pinging and is restarted.
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, TimeProvider time) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = WatchdogInterval.FromEnvironment();
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
