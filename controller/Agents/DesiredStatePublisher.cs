using System.Collections.Concurrent;
using System.Text.Json;
using CamaraQos.Controller.Observability;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// <see cref="IDesiredStatePublisher"/>: one agent at a time (a semaphore per agent), the generation
/// reserved and persisted before anything is published, so generations only grow, across restarts
/// and across controllers sharing a database.
/// </summary>
public sealed partial class DesiredStatePublisher : IDesiredStatePublisher
{
    /// <summary>How long a publish waits for the broker before the document is left pending.</summary>
    internal static readonly TimeSpan BrokerWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _pending = new(StringComparer.Ordinal);
    private readonly AgentStore _store;
    private readonly AgentDirectory _directory;
    private readonly ControllerMqttClient _client;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;
    private readonly PublishedDocuments _published;
    private readonly ILogger<DesiredStatePublisher> _logger;

    public DesiredStatePublisher(AgentStore store, AgentDirectory directory, ControllerMqttClient client,
        IServiceProvider services, TimeProvider time, ControllerMetrics metrics, PublishedDocuments published, ILogger<DesiredStatePublisher> logger)
    {
        (_store, _directory, _client, _services, _time, _logger) = (store, directory, client, services, time, logger);
        (_metrics, _published) = (metrics, published);
        _client.Connected += RepublishPendingAsync;
    }

    public async Task<DesiredState> PublishAsync(string agentId, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(agentId, _ => new SemaphoreSlim(1, 1));
        using var activity = ControllerActivity.Start("desired.publish", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag(ControllerActivity.AgentTag, agentId);
        await gate.WaitAsync(ct);
        try
        {
            var now = _time.GetUtcNow();
            // Resolved per call: policy sources (QoD) themselves depend on this publisher.
            var sources = _services.GetServices<IPolicySource>().ToArray();
            var policies = new List<Policy>();
            var monitors = new List<FlowMonitor>();
            foreach (var source in sources)
            {
                policies.AddRange(await source.PoliciesForAsync(agentId, now, ct));
                monitors.AddRange(await source.MonitorsForAsync(agentId, now, ct));
            }
            var generation = await _store.NextGenerationAsync(agentId, ct);
            var document = PolicyCompiler.Compile(generation, now, policies, monitors);
            var payload = JsonSerializer.SerializeToUtf8Bytes(document, ContractJson.Default.DesiredState);
            await _store.SaveDesiredAsync(agentId, generation, System.Text.Encoding.UTF8.GetString(payload), ct);
            _directory.SetDesiredGeneration(agentId, generation);
            activity?.SetTag(ControllerActivity.GenerationTag, generation);
            // Before the send: the agent's report may arrive before the publish call returns.
            _published.Remember(agentId, generation, activity);
            _metrics.DesiredPublished();
            await SendAsync(agentId, payload, ct);
            LogPublished(_logger, agentId, generation, document.Policies.Count, document.Monitors.Count);
            return document;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// An unreachable broker does not fail the caller: the document is persisted and goes out on
    /// reconnection; the caller's confirmation timeout decides what the unconfirmed resource becomes.
    /// </summary>
    private async Task SendAsync(string agentId, byte[] payload, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(BrokerWait);
        try
        {
            await _client.PublishRetainedAsync(Topics.Desired(agentId), payload, wait.Token);
            _pending.TryRemove(agentId, out _);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _pending[agentId] = payload;
            LogPending(_logger, agentId, ex.Message);
        }
    }

    private async Task RepublishPendingAsync(CancellationToken ct)
    {
        foreach (var (agentId, payload) in _pending.ToArray())
        {
            var gate = _gates.GetOrAdd(agentId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
            try
            {
                if (_pending.TryGetValue(agentId, out var latest) && ReferenceEquals(latest, payload))
                {
                    await SendAsync(agentId, payload, ct);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published desired generation {Generation} to agent {AgentId}: {Policies} policies, {Monitors} monitors")]
    private static partial void LogPublished(ILogger logger, string agentId, long generation, int policies, int monitors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desired document of agent {AgentId} pending until the broker is reachable: {Reason}")]
    private static partial void LogPending(ILogger logger, string agentId, string reason);
}
