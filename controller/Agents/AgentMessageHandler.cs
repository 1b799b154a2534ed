using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CamaraQos.Controller.Observability;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Turns what agents publish into directory updates and observer calls. Malformed documents, other
/// schema versions and documents naming another agent than their topic are logged and dropped (§4):
/// nothing an agent sends can stop the controller's session.
/// </summary>
public sealed partial class AgentMessageHandler(
    AgentDirectory directory,
    IOptions<MqttOptions> options,
    ControllerMetrics metrics,
    PublishedDocuments published,
    IServiceProvider services,
    ILogger<AgentMessageHandler> logger)
{
    // Resolved lazily: observers (QoD) depend on the publisher, which depends on this session.
    private IAgentObserver[]? _observers;
    private IAgentObserver[] Observers => _observers ??= [.. services.GetServices<IAgentObserver>()];

    public async Task HandleAsync(MqttApplicationMessage message, CancellationToken ct)
    {
        if (!Topics.TryParse(message.Topic, out var agentId, out var kind))
        {
            metrics.MqttMessageReceived("other");
            LogDropped(logger, message.Topic, "not an agent topic");
            return;
        }
        metrics.MqttMessageReceived(kind);
        using var scope = LogScopes.ForAgent(logger, agentId);
        try
        {
            await DispatchAsync(agentId, kind, message.Payload, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(logger, ex, message.Topic);
        }
    }

    private Task DispatchAsync(string agentId, string kind, ReadOnlySequence<byte> payload, CancellationToken ct) => kind switch
    {
        Topics.StatusKind when Parse(payload, ContractJson.Default.AgentStatus, agentId, s => (s.SchemaVersion, s.AgentId)) is { } s => OnStatusAsync(s, ct),
        Topics.ReportedKind when Parse(payload, ContractJson.Default.ReportedState, agentId, r => (r.SchemaVersion, r.AgentId)) is { } r => OnReportedAsync(r, ct),
        Topics.TelemetryKind when Parse(payload, ContractJson.Default.TelemetryReport, agentId, t => (t.SchemaVersion, t.AgentId)) is { } t => OnTelemetryAsync(t, ct),
        _ => Task.CompletedTask,
    };

    private async Task OnStatusAsync(AgentStatus status, CancellationToken ct)
    {
        var view = await directory.ApplyStatusAsync(status, options.Value.Mode == MqttMode.External, ct);
        if (view is not null)
        {
            LogStatus(logger, view.AgentId, view.Online, view.BootEpoch);
            await NotifyAsync(view.AgentId, o => o.OnStatusAsync(view, ct));
        }
    }

    /// <summary>
    /// The report continues the trace of the publish it answers (remembered, as the agent sends no trace
    /// context), so what it causes (a confirmation, a notification) joins the request that started it.
    /// </summary>
    private async Task OnReportedAsync(ReportedState reported, CancellationToken ct)
    {
        var document = published.Settle(reported);
        using var activity = ControllerActivity.StartChildOf("agent.report", document?.Context ?? default, document?.Correlator, ActivityKind.Consumer);
        activity?.SetTag(ControllerActivity.AgentTag, reported.AgentId);
        activity?.SetTag(ControllerActivity.GenerationTag, reported.ObservedGeneration);
        if (await directory.ApplyReportedAsync(reported, ct) is { } view)
        {
            await NotifyAsync(view.AgentId, o => o.OnReportedAsync(view, reported, ct));
        }
    }

    private async Task OnTelemetryAsync(TelemetryReport telemetry, CancellationToken ct)
    {
        if (directory.Touch(telemetry.AgentId) is { } view)
        {
            await NotifyAsync(view.AgentId, o => o.OnTelemetryAsync(view, telemetry, ct));
        }
    }

    /// <summary>One failing observer neither hides the message from the others nor breaks the session.</summary>
    private async Task NotifyAsync(string agentId, Func<IAgentObserver, Task> call)
    {
        foreach (var observer in Observers)
        {
            try
            {
                await call(observer);
            }
            catch (Exception ex)
            {
                LogObserverFailed(logger, ex, observer.GetType().Name, agentId);
            }
        }
    }

    private T? Parse<T>(ReadOnlySequence<byte> payload, JsonTypeInfo<T> type, string topicAgent, Func<T, (int Schema, string AgentId)> header)
        where T : class
    {
        T? value;
        try
        {
            var reader = new Utf8JsonReader(payload);
            value = JsonSerializer.Deserialize(ref reader, type);
        }
        catch (JsonException ex)
        {
            LogDropped(logger, topicAgent, $"malformed {typeof(T).Name}: {ex.Message}");
            return null;
        }
        var (schema, agent) = value is null ? (0, "") : header(value);
        var problem = value is null ? "empty document"
            : schema != Contract.SchemaVersion ? $"schemaVersion {schema}, expected {Contract.SchemaVersion}"
            : agent != topicAgent ? $"document names agent {agent ?? "none"}"
            : null;
        if (problem is not null)
        {
            LogDropped(logger, topicAgent, problem);
            return null;
        }
        return value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped message from agent {AgentId}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string agentId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Topic} failed")]
    private static partial void LogFailed(ILogger logger, Exception error, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Observer {Observer} failed for agent {AgentId}")]
    private static partial void LogObserverFailed(ILogger logger, Exception error, string observer, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} online={Online} bootEpoch={BootEpoch}")]
    private static partial void LogStatus(ILogger logger, string agentId, bool online, long bootEpoch);
}
