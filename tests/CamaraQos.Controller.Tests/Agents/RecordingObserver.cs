using System.Threading.Channels;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Tests.Agents;

/// <summary>Everything the controller passed to observers, awaitable in order.</summary>
public sealed class RecordingObserver : IAgentObserver
{
    public sealed record Seen(string Kind, AgentView Agent, object? Message);

    private readonly Channel<Seen> _seen = Channel.CreateUnbounded<Seen>();

    public Task OnStatusAsync(AgentView agent, CancellationToken ct) => Write(new("status", agent, null));
    public Task OnReportedAsync(AgentView agent, ReportedState reported, CancellationToken ct) => Write(new("reported", agent, reported));
    public Task OnTelemetryAsync(AgentView agent, TelemetryReport telemetry, CancellationToken ct) => Write(new("telemetry", agent, telemetry));

    private Task Write(Seen seen) => _seen.Writer.WriteAsync(seen).AsTask();

    /// <summary>The next observation of <paramref name="agentId"/>; earlier ones of other agents are skipped.</summary>
    public async Task<Seen> NextAsync(string agentId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var seen = await _seen.Reader.ReadAsync(timeout.Token);
            if (seen.Agent.AgentId == agentId)
            {
                return seen;
            }
        }
    }

    /// <summary>Waits for an observation matching <paramref name="match"/>, skipping others.</summary>
    public async Task<Seen> WaitAsync(Func<Seen, bool> match, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var seen = await _seen.Reader.ReadAsync(timeout.Token);
            if (match(seen))
            {
                return seen;
            }
        }
    }
}
