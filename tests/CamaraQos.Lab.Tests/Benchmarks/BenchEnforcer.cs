extern alias agent;

using System.Text.Json;
using agent::CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Lab.Tests.Benchmarks;

/// <summary>
/// The agent's real Enforcer (parse, validate, persist, diff, one libnftables transaction, a tc batch when the
/// trees change, read-back) driving the lab gateway's kernel: libnftables on a thread inside that namespace,
/// tc through `ip netns exec`, as the agent does inside that namespace; no broker involved, so SubmitAsync is
/// exactly "desired document received → kernel state live and read back".
/// </summary>
internal sealed class BenchEnforcer : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("cqx-bench-state-");
    private readonly LibNftables _nft;
    private readonly TimingNftables _timing;
    private readonly CountingRunner _runner;
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
        _nft = new LibNftables(gatewayNamespace);
        _timing = new TimingNftables(_nft);
        _runner = new CountingRunner(new ProcessCommandRunner(gatewayNamespace));
        _enforcer = new Enforcer(Options.Create(options), new AgentIdentity("cqx-bench", 1), TimeProvider.System,
            new FixedProbe(), _timing, _runner, NullLogger<Enforcer>.Instance);
    }

    /// <summary>Where the time of the last submit went: libnftables calls that changed the table, and read-backs.</summary>
    public NftTimes LastNft => _timing.Take();

    /// <summary>Processes started so far (tc; nft runs in process).</summary>
    public int Processes => _runner.Count;

    /// <summary>Removes the table and the trees: the next document is applied from scratch.</summary>
    public Task CleanupAsync(CancellationToken ct) => _enforcer.CleanupAsync(ct);

    /// <summary>Submits the next generation with <paramref name="count"/> policies; fails unless every one applied.</summary>
    public Task SubmitAsync(int count, int variant, CancellationToken ct) =>
        SubmitAsync([.. Enumerable.Range(0, count).Select(i => Policy(i, variant))], ct);

    public async Task SubmitAsync(Policy[] policies, CancellationToken ct)
    {
        var document = new DesiredState(Contract.SchemaVersion, ++_generation, DateTimeOffset.UtcNow, policies, []);
        var outcome = await _enforcer.SubmitAsync(JsonSerializer.SerializeToUtf8Bytes(document, ContractJson.Default.DesiredState), ct);
        if (outcome.Report.ObservedGeneration != _generation || outcome.Report.Policies.Count != policies.Length
            || outcome.Report.Policies.Any(p => p.Reason is not null))
        {
            var reason = outcome.Report.LastRejection?.Reason ?? outcome.Report.Policies.FirstOrDefault(p => p.Reason is not null)?.Reason;
            throw new InvalidOperationException($"generation {_generation} not applied: {reason}");
        }
    }

    /// <summary>
    /// A QoD-like TCP flow policy (QOS_E: EF, 1 Mbit/s guaranteed each way, or none) that never matches the lab's
    /// iperf3 flow: devices .20-.219 of the LAN, servers in TEST-NET-2. <paramref name="variant"/> moves the
    /// server port so consecutive generations really change every element.
    /// </summary>
    public static Policy Policy(int i, int variant, bool guaranteed = true) => new($"bench-{i:D4}", PolicyKind.Flow,
        new FlowMatch($"10.213.214.{20 + (i % 200)}", null, [$"198.51.100.{1 + (i / 200)}"], null,
            [new PortRange(10_000 + i + (variant * 5_000), 10_000 + i + (variant * 5_000))], FlowProtocol.Tcp),
        Directions.Both, Dscp.EF, TrafficClass.Priority, guaranteed ? 1000 : null, guaranteed ? 1000 : null, null, null, null,
        DateTimeOffset.UtcNow.AddHours(1));

    public void Dispose()
    {
        _nft.Dispose();
        _state.Delete(recursive: true);
    }

    private sealed class FixedProbe : ICapabilityProbe
    {
        public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
            Task.FromResult(new AgentCapabilities(["htb", "bfifo", "pfifo"], [], true, true, false));
    }

    /// <summary>
    /// Milliseconds from the start of a submit until its last table-changing libnftables call returned (the kernel
    /// committed: the change is live), and the total time of the changing calls and of the read-back lists.
    /// </summary>
    public readonly record struct NftTimes(double LiveMs, double ChangeMs, double ReadBackMs);

    private sealed class TimingNftables(INftables inner) : INftables
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private double _start, _live, _change, _readBack;

        public NftTimes Take()
        {
            var t = new NftTimes(_live - _start, _change, _readBack);
            (_start, _live, _change, _readBack) = (_clock.Elapsed.TotalMilliseconds, 0, 0, 0);
            _live = _start;
            return t;
        }

        public async Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
        {
            var begin = _clock.Elapsed.TotalMilliseconds;
            var r = await inner.RunAsync(commands, json, ct);
            var end = _clock.Elapsed.TotalMilliseconds;
            if (commands.StartsWith("list ", StringComparison.Ordinal) || commands.StartsWith("get ", StringComparison.Ordinal))
            {
                _readBack += end - begin;
            }
            else
            {
                _change += end - begin;
                _live = end;
            }
            return r;
        }
    }

    private sealed class CountingRunner(ICommandRunner inner) : ICommandRunner
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct)
        {
            Interlocked.Increment(ref _count);
            return inner.RunAsync(file, args, stdin, ct);
        }
    }
}
