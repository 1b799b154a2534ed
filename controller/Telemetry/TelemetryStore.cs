using System.Collections.Concurrent;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Telemetry;

/// <summary>A telemetry report as the controller received it, stamped with its own clock.</summary>
public sealed record ReceivedReport(DateTimeOffset ReceivedAt, TelemetryReport Report);

/// <summary>Told after a report has been stored, so it judges with the report already in the window.</summary>
public interface ITelemetryListener
{
    Task OnTelemetryStoredAsync(string agentId, CancellationToken ct);
}

/// <summary>
/// The recent telemetry of every agent, in memory: a bounded window per agent (by age and by count),
/// pruned as reports arrive. Telemetry is QoS 0 and re-sent every interval (§4), so losing it on a
/// restart costs one window, not data anyone relies on. Stamped with the controller's clock, so an
/// agent's clock skew cannot move a report in or out of the window.
/// </summary>
public sealed class TelemetryStore(TimeProvider time, IOptions<TelemetryOptions> options, IServiceProvider services) : IAgentObserver
{
    private readonly ConcurrentDictionary<string, Queue<ReceivedReport>> _agents = new(StringComparer.Ordinal);

    // Resolved lazily: listeners (subscriptions) depend on the publisher, which depends on the MQTT session.
    private ITelemetryListener[]? _listeners;
    private ITelemetryListener[] Listeners => _listeners ??= [.. services.GetServices<ITelemetryListener>()];

    public TimeSpan Window => TimeSpan.FromSeconds(options.Value.WindowSeconds);

    public async Task OnTelemetryAsync(AgentView agent, TelemetryReport telemetry, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var reports = _agents.GetOrAdd(agent.AgentId, _ => new Queue<ReceivedReport>());
        lock (reports)
        {
            reports.Enqueue(new ReceivedReport(now, telemetry));
            while (reports.Count > options.Value.MaxReportsPerAgent || (reports.Count > 0 && reports.Peek().ReceivedAt < now - Window))
            {
                reports.Dequeue();
            }
        }
        foreach (var listener in Listeners)
        {
            await listener.OnTelemetryStoredAsync(agent.AgentId, ct);
        }
    }

    /// <summary>The reports received in the window ending at <paramref name="until"/> (default now), oldest first.</summary>
    public IReadOnlyList<ReceivedReport> Recent(string agentId, DateTimeOffset? until = null)
    {
        if (!_agents.TryGetValue(agentId, out var reports))
        {
            return [];
        }
        var end = until ?? time.GetUtcNow();
        var start = end - Window;
        lock (reports)
        {
            return [.. reports.Where(r => r.ReceivedAt > start && r.ReceivedAt <= end)];
        }
    }
}
