using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

internal static partial class ControlLog
{
    [LoggerMessage(1, LogLevel.Information, "Control channel {From} -> {To}: {Reason}")]
    public static partial void Transition(ILogger logger, ConnectionState from, ConnectionState to, string reason);

    [LoggerMessage(2, LogLevel.Information, "Desired state received ({Bytes} bytes, retained {Retained})")]
    public static partial void DesiredReceived(ILogger logger, int bytes, bool retained);

    [LoggerMessage(3, LogLevel.Information, "Empty desired message ignored (a cleared retained message)")]
    public static partial void DesiredEmpty(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Reconciled: observed generation {Generation}, kernel changed {KernelChanged}")]
    public static partial void Reconciled(ILogger logger, long generation, bool kernelChanged);

    [LoggerMessage(5, LogLevel.Error, "Enforcer failed during {Step}")]
    public static partial void EnforcerFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Publishing to {Topic} failed: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(7, LogLevel.Information, "Network changed: {Wan} WAN addresses, {Lan} LAN prefixes, {Devices} LAN devices")]
    public static partial void NetworkChanged(ILogger logger, int wan, int lan, int devices);

    [LoggerMessage(8, LogLevel.Warning, "Reading interfaces and neighbours failed: {Reason}")]
    public static partial void NetworkReadFailed(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Capability probe failed; the birth carries no capabilities")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Agent:Password is empty: connecting without credentials")]
    public static partial void NoCredentials(ILogger logger);
}
