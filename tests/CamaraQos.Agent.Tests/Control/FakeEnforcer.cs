using System.Text.Json;
using System.Threading.Channels;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>
/// Pure plumbing for control-channel tests: records the desired payloads it is handed and reports their
/// generation. The real enforcer and its kernel work are tested in agent/Enforcement's own tests.
/// </summary>
public sealed class FakeEnforcer(string agentId) : IEnforcer
{
    public Channel<long> Submitted { get; } = Channel.CreateUnbounded<long>();

    public ReportedState CurrentReport { get; private set; } = Report(agentId, 0);

    public IReadOnlyList<FlowMonitor> Monitors { get; set; } = [];

    public event Action<ReportedState>? Reported;

    public static ReportedState Report(string agentId, long generation) => new(
        Contract.SchemaVersion, agentId, 1, generation, DateTimeOffset.UnixEpoch, [], $"hash-{generation}", null);

    public void Raise(ReportedState report)
    {
        CurrentReport = report;
        Reported?.Invoke(report);
    }

    public Task<ReconcileOutcome> SubmitAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(payload);
        var generation = document.RootElement.GetProperty("generation").GetInt64();
        Submitted.Writer.TryWrite(generation);
        Raise(Report(agentId, generation));
        return Task.FromResult(new ReconcileOutcome(CurrentReport, true));
    }

    public Task<ReconcileOutcome> RestoreAsync(CancellationToken ct) => Task.FromResult(new ReconcileOutcome(CurrentReport, false));

    public Task<ReconcileOutcome?> ExpireAsync(CancellationToken ct) => Task.FromResult<ReconcileOutcome?>(null);

    public Task CleanupAsync(CancellationToken ct) => Task.CompletedTask;
}

public sealed class FixedCapabilities : ICapabilityProbe
{
    public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
        Task.FromResult(new AgentCapabilities(["htb", "bfifo"], ["u32"], true, true, false));
}
