using System.Globalization;

namespace CamaraQos.Shared;

/// <summary>
/// How often a service under systemd must send WATCHDOG=1: half of WATCHDOG_USEC (sd_watchdog_enabled(3)),
/// or null when systemd asked for no watchdog or asked it of another process (WATCHDOG_PID).
/// Shared because the agent and the controller both run as <c>Type=notify</c> units with a watchdog.
/// </summary>
public static class WatchdogInterval
{
    public static TimeSpan? Parse(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }
        if (watchdogPid is { Length: > 0 } && watchdogPid != processId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }
        return TimeSpan.FromTicks(usec * 10 / 2);
    }

    public static TimeSpan? FromEnvironment() => Parse(
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
}
