using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Health;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>
/// Moves sessions on what agents report and on time: confirmations and rejections from <c>reported</c>,
/// gateways offline past the grace time, expiry, confirmation timeouts and the purge of UNAVAILABLE
/// sessions. Deadlines live in the database, so a restarted controller resumes them.
/// </summary>
public sealed partial class SessionLifecycle(
    SessionStore store,
    SessionService sessions,
    IAgentDirectory agents,
    TimeProvider time,
    IOptions<QodOptions> options,
    LoopHeartbeats heartbeats,
    ILogger<SessionLifecycle> logger) : BackgroundService, IAgentObserver
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, DateTimeOffset> _offlineSince = [];
    private LoopHeartbeats.Heartbeat? _heartbeat;

    /// <summary>
    /// The policy's own result decides: Applied confirms (even if the report beats the store of the
    /// session's generation), Failed/Expired ends it. A report of the session's generation or later
    /// without it, or a rejection of that generation, ends it too: the gateway will not run it.
    /// </summary>
    public async Task OnReportedAsync(AgentView agent, ReportedState reported, CancellationToken ct)
    {
        var results = reported.Policies.ToDictionary(p => p.Id);
        foreach (var session in await store.ActiveForAgentAsync(agent.AgentId, ct))
        {
            if (session.Status != QosStatus.REQUESTED)
            {
                continue;
            }
            var outcome = results.GetValueOrDefault(session.PolicyId)?.Outcome;
            var carried = session.Generation > 0 && reported.ObservedGeneration >= session.Generation;
            var rejected = session.Generation > 0 && reported.LastRejection?.Generation >= session.Generation;
            if (outcome == PolicyOutcome.Applied)
            {
                await sessions.ConfirmAsync(session, ct);
            }
            else if (outcome is PolicyOutcome.Failed or PolicyOutcome.Expired || carried || rejected)
            {
                await sessions.EndAsync(session, StatusInfo.NETWORK_TERMINATED, republish: true, ct);
            }
        }
    }

    public Task OnStatusAsync(AgentView agent, CancellationToken ct)
    {
        lock (_offlineSince)
        {
            if (agent.Online)
            {
                _offlineSince.Remove(agent.AgentId);
            }
            else
            {
                _offlineSince.TryAdd(agent.AgentId, time.GetUtcNow());
            }
        }
        _wake.Release();
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sessions.DeadlinesChanged += () => _wake.Release();
        _heartbeat = heartbeats.Register("session-lifecycle", MaxSleep, this);
        SeedOfflineAgents();
        while (!stoppingToken.IsCancellationRequested)
        {
            _heartbeat.Beat();
            try
            {
                await RunDueAsync(stoppingToken);
                var next = await store.NextDeadlineAsync(stoppingToken);
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

    /// <summary>One pass over everything due now. Idempotent: transitions are conditional.</summary>
    internal async Task RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var session in await store.DueAsync(now, ct))
        {
            // One beat per session: each may wait on the broker, so a long pass is progress, not a wedge.
            _heartbeat?.Beat();
            switch (session.Status)
            {
                case QosStatus.AVAILABLE:
                    await sessions.EndAsync(session, StatusInfo.DURATION_EXPIRED, republish: true, ct);
                    break;
                case QosStatus.REQUESTED:
                    await sessions.EndAsync(session, StatusInfo.NETWORK_TERMINATED, republish: true, ct);
                    break;
                default:
                    await store.DeleteAsync(session.SessionId, ct);
                    break;
            }
        }
        foreach (var agentId in OfflinePastGrace(now))
        {
            foreach (var session in await store.ActiveForAgentAsync(agentId, ct))
            {
                _heartbeat?.Beat();
                await sessions.EndAsync(session, StatusInfo.NETWORK_TERMINATED, republish: true, ct);
            }
        }
    }

    private List<string> OfflinePastGrace(DateTimeOffset now)
    {
        var grace = TimeSpan.FromSeconds(options.Value.OfflineGraceSeconds);
        lock (_offlineSince)
        {
            return [.. _offlineSince.Where(kv => now - kv.Value >= grace).Select(kv => kv.Key)];
        }
    }

    /// <summary>After a controller restart, gateways already known offline start their grace time now.</summary>
    private void SeedOfflineAgents()
    {
        lock (_offlineSince)
        {
            foreach (var agent in agents.All().Where(a => !a.Online))
            {
                _offlineSince.TryAdd(agent.AgentId, time.GetUtcNow());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session lifecycle pass failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception error);
}
