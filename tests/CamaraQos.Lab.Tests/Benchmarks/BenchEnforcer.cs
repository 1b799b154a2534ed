extern alias agent;

using System.Text.Json;
using agent::CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Lab.Tests.Benchmarks;

/// <summary>
/// The agent's real Enforcer (parse, validate, persist, diff, one nft transaction + tc batch) driving the
/// lab gateway's kernel through `ip netns exec`, as the agent does inside that namespace; no broker involved,
/// so SubmitAsync is exactly "desired document received → kernel state live".
/// </summary>
internal sealed class BenchEnforcer : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("cqx-bench-state-");
    private readonly Enforcer _enforcer;
    private long _generation;

    public BenchEnforcer(string gatewayNamespace, int lineKbps)
    {
        var options = new EnforcementOptions
        {
            WanInterface = "wan0",
            LanInterfaces = ["lan0"],
            UplinkKbps = lineKbps,
            DownlinkKbps = lineKbps,
            StateDirectory = _state.FullName,
        };
        _enforcer = new Enforcer(Options.Create(options), new AgentIdentity("cqx-bench", 1), TimeProvider.System,
            new FixedProbe(), new ProcessCommandRunner(gatewayNamespace), NullLogger<Enforcer>.Instance);
    }

    /// <summary>Submits the next generation with <paramref name="count"/> policies; fails unless every one applied.</summary>
    public async Task SubmitAsync(int count, int variant, CancellationToken ct)
    {
        var policies = Enumerable.Range(0, count).Select(i => Policy(i, variant)).ToArray();
        var document = new DesiredState(Contract.SchemaVersion, ++_generation, DateTimeOffset.UtcNow, policies, []);
        var outcome = await _enforcer.SubmitAsync(JsonSerializer.SerializeToUtf8Bytes(document, ContractJson.Default.DesiredState), ct);
        if (outcome.Report.ObservedGeneration != _generation || outcome.Report.Policies.Count != count
            || outcome.Report.Policies.Any(p => p.Reason is not null))
        {
            throw new InvalidOperationException($"generation {_generation} not applied: {outcome.Report.LastRejection?.Reason}");
        }
    }

    /// <summary>
    /// A QoD-like TCP flow policy (QOS_E: EF, 1 Mbit/s guaranteed each way) that never matches the lab's
    /// iperf3 flow: devices .20-.219 of the LAN, servers in TEST-NET-2, so forwarding walks every rule.
    /// <paramref name="variant"/> moves the server port so consecutive generations really change the table.
    /// </summary>
    private static Policy Policy(int i, int variant) => new($"bench-{i:D4}", PolicyKind.Flow,
        new FlowMatch($"10.213.214.{20 + (i % 200)}", null, [$"198.51.100.{1 + (i / 200)}"], null,
            [new PortRange(10_000 + i + (variant * 5_000), 10_000 + i + (variant * 5_000))], FlowProtocol.Tcp),
        Directions.Both, Dscp.EF, TrafficClass.Priority, 1000, 1000, null, null, null, DateTimeOffset.UtcNow.AddHours(1));

    public void Dispose() => _state.Delete(recursive: true);

    private sealed class FixedProbe : ICapabilityProbe
    {
        public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
            Task.FromResult(new AgentCapabilities(["htb", "bfifo", "pfifo"], [], true, true, false));
    }
}
