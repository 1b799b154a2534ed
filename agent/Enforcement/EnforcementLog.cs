using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Enforcement;

internal static partial class EnforcementLog
{
    [LoggerMessage(1, LogLevel.Information, "Applied generation {Generation}: {Active} active, {Expired} expired policies, kernel changed {Changed}, {KernelHash}")]
    public static partial void Applied(ILogger logger, long generation, int active, int expired, bool changed, string kernelHash);

    [LoggerMessage(2, LogLevel.Warning, "Rejected desired document (generation {Generation}): {Reason}")]
    public static partial void Rejected(ILogger logger, long? generation, string reason);

    [LoggerMessage(3, LogLevel.Error, "Kernel apply of generation {Generation} failed: {Error}")]
    public static partial void ApplyFailed(ILogger logger, long generation, string error);

    [LoggerMessage(4, LogLevel.Information, "Removed the camaraqos nft table and HTB roots on {Devices}")]
    public static partial void CleanedUp(ILogger logger, string devices);

    [LoggerMessage(5, LogLevel.Warning, "Capability probe failed, using bfifo leaves")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "A Reported handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "tc over rtnetlink refused ({Reason}); {Operation} through tc(8) processes instead")]
    public static partial void TcFallback(ILogger logger, string reason, string operation);
}
