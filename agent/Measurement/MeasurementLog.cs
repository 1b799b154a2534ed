using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Measurement;

internal static partial class MeasurementLog
{
    [LoggerMessage(1, LogLevel.Information, "Measurement is off (Agent:Measurement=false): no capture, no telemetry")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Capturing on {Interface} ({Side} side); after a failure: {Recovered}")]
    public static partial void Capturing(ILogger logger, string @interface, CaptureSide side, bool recovered);

    [LoggerMessage(3, LogLevel.Warning, "Cannot capture on {Interface}, counted as a capture error and retried every interval: {Reason}")]
    public static partial void CaptureFailed(ILogger logger, string @interface, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Reading tc class counters failed; the report carries none: {Reason}")]
    public static partial void ClassesFailed(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Error, "A telemetry interval failed; measurement goes on")]
    public static partial void IntervalFailed(ILogger logger, Exception exception);
}
