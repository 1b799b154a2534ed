using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.Observability;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// Delivers due outbox rows: POST to the sink, 2xx settles the row, anything else schedules a retry with
/// randomized exponential backoff until <see cref="NotificationOptions.MaxAttempts"/>, then the row fails.
/// </summary>
internal sealed partial class NotificationDispatcher(
    NotificationOutbox outbox,
    OutboxSignal signal,
    IHttpClientFactory clients,
    IOptionsMonitor<NotificationOptions> options,
    TimeProvider time,
    LoopHeartbeats heartbeats,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const string ClientName = "camaraqos-notifications";
    private const int BatchSize = 64;
    private const int MaxErrorLength = 1000;

    /// <summary>This instance's lease name, so instances sharing PostgreSQL settle only their own rows.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = heartbeats.Register("notification-dispatcher", LongestIteration(options.CurrentValue), this);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            var wait = options.CurrentValue.PollInterval;
            try
            {
                wait = await RunOnce(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoopFailed(logger, e);
            }
            await signal.WaitAsync(wait, time, stoppingToken);
        }
    }

    /// <summary>A full batch, every delivery timing out, plus the wait: what a healthy iteration may take.</summary>
    private static TimeSpan LongestIteration(NotificationOptions o) =>
        o.PollInterval + o.RequestTimeout * Math.Ceiling((double)BatchSize / o.MaxConcurrency);

    /// <summary>Delivers one batch; returns how long to wait before looking again.</summary>
    private async Task<TimeSpan> RunOnce(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var lease = o.RequestTimeout * 2 + TimeSpan.FromSeconds(5);
        var batch = await outbox.ClaimAsync(_owner, lease, BatchSize, ct);
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = ct },
            async (row, token) => await Deliver(row, o, token));
        if (batch.Count == BatchSize)
        {
            return TimeSpan.Zero;
        }
        var next = await outbox.NextDueAsync(ct);
        var untilDue = next is { } due ? due - time.GetUtcNow() : o.PollInterval;
        // A floor keeps a row another instance holds (or clock skew) from spinning the loop.
        return TimeSpan.FromTicks(Math.Clamp(untilDue.Ticks, TimeSpan.FromMilliseconds(20).Ticks, o.PollInterval.Ticks));
    }

    private async Task Deliver(OutboxRow row, NotificationOptions o, CancellationToken ct)
    {
        var attempts = (int)row.Attempts + 1;
        ActivityContext.TryParse(row.Traceparent, null, out var queuedBy);
        using var activity = ControllerActivity.StartChildOf("notification.deliver", queuedBy, row.Correlator, ActivityKind.Producer);
        activity?.SetTag("camaraqos.outbox_id", row.Id);
        activity?.SetTag("camaraqos.attempt", attempts);
        // Re-checked at send: the row may predate a configuration change, or come from the legacy webhook.
        if (SinkValidator.CheckSink(row.Sink, o.AllowHttpSinks, allowPrivate: true) is { } invalid)
        {
            await outbox.MarkFailedAsync(row.Id, _owner, attempts, invalid.Value.Message, ct);
            LogFailed(logger, row.Id, row.Sink, attempts, invalid.Value.Message);
            return;
        }
        var error = await Post(row, ct);
        activity?.SetStatus(error is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error, error);
        if (error is null)
        {
            await outbox.MarkDeliveredAsync(row.Id, _owner, attempts, ct);
            LogDelivered(logger, row.Id, row.Sink, attempts);
        }
        else if (attempts >= o.MaxAttempts)
        {
            await outbox.MarkFailedAsync(row.Id, _owner, attempts, error, ct);
            LogFailed(logger, row.Id, row.Sink, attempts, error);
        }
        else
        {
            var delay = Backoff.Next(attempts, o.InitialBackoff, o.MaxBackoff, Random.Shared.NextDouble());
            await outbox.MarkRetryAsync(row.Id, _owner, attempts, time.GetUtcNow() + delay, error, ct);
            LogRetry(logger, row.Id, row.Sink, attempts, delay, error);
        }
    }

    /// <summary>Null on a 2xx answer, otherwise why not (status or network error).</summary>
    private async Task<string?> Post(OutboxRow row, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, row.Sink)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(row.Body)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(row.ContentType);
        if (row.BearerToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        // Any failure (refused connect, timeout, TLS, malformed header) is a failed attempt, never a poison row.
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return Truncate(Describe(e));
        }
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner ? $"{e.Message} ({Describe(inner)})" : e.Message;

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {OutboxId} delivered to {Sink} on attempt {Attempts}")]
    private static partial void LogDelivered(ILogger logger, string outboxId, string sink, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {OutboxId} to {Sink} failed attempt {Attempts}, retrying in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, string outboxId, string sink, int attempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {OutboxId} to {Sink} abandoned after {Attempts} attempts: {Error}")]
    private static partial void LogFailed(ILogger logger, string outboxId, string sink, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification delivery loop failed; retrying after the poll interval")]
    private static partial void LogLoopFailed(ILogger logger, Exception error);
}
