using CamaraQos.Controller.Health;

namespace CamaraQos.Controller.InsightsSubscriptions;

/// <summary>
/// Ends subscriptions at their <c>subscriptionExpireTime</c> (SUBSCRIPTION_EXPIRED). The times live in the
/// database, so a restarted controller ends on time what the previous process created.
/// </summary>
public sealed partial class SubscriptionExpiry(
    SubscriptionStore store,
    SubscriptionService service,
    TimeProvider time,
    LoopHeartbeats heartbeats,
    ILogger<SubscriptionExpiry> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        service.ExpiriesChanged += () => _wake.Release();
        var heartbeat = heartbeats.Register("subscription-expiry", MaxSleep, this);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            try
            {
                foreach (var subscription in await store.ExpiredAsync(time.GetUtcNow(), stoppingToken))
                {
                    heartbeat.Beat(); // many ending at once is progress, not a wedge
                    await service.EndAsync(subscription, TerminationReason.SUBSCRIPTION_EXPIRED, "subscriptionExpireTime reached.", stoppingToken);
                }
                var next = await store.NextExpiryAsync(stoppingToken);
                var sleep = next is { } at ? at - time.GetUtcNow() : MaxSleep;
                sleep = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep;
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(sleep, time, delay.Token), _wake.WaitAsync(delay.Token));
                await delay.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Insights subscription expiry pass failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception error);
}
