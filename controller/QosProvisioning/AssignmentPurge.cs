using CamaraQos.Controller.Health;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>Deletes UNAVAILABLE assignments once their retention time has passed (spec: at earliest 360 s).</summary>
public sealed partial class AssignmentPurge(AssignmentStore store, TimeProvider time, LoopHeartbeats heartbeats, ILogger<AssignmentPurge> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var heartbeat = heartbeats.Register("assignment-purge", Period, this);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                heartbeat.Beat();
                await PurgeOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PurgeOnceAsync(CancellationToken ct)
    {
        try
        {
            await store.PurgeAsync(time.GetUtcNow(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPurgeFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging expired QoS assignments failed; retrying")]
    private static partial void LogPurgeFailed(ILogger logger, Exception error);
}
