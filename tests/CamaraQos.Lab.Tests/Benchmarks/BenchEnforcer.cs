extern alias agent;

using System.Text.Json;
using agent::CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Lab.Tests.Benchmarks;

/// <summary>
/// The agent's real Enforcer (parse, validate, persist, diff, one libnftables transaction, the changed tc objects
/// over rtnetlink when the trees change, read-back) driving the lab gateway's kernel: libnftables and the
/// rtnetlink socket on threads inside that namespace, as the agent does inside it; tc(8) processes, through
/// `ip netns exec`, only if netlink were refused. No broker involved, so SubmitAsync is exactly "desired document
/// received → kernel state live and read back".
/// </summary>
internal sealed class BenchEnforcer : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("cqx-bench-state-");
    private readonly LibNftables _nft;
    private readonly RtnetlinkTc _tc;
    private readonly Timeline _timeline = new();
    private readonly ProcessCommandRunner _runner;
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
        _tc = new RtnetlinkTc(gatewayNamespace);
        _runner = new ProcessCommandRunner(gatewayNamespace);
        _enforcer = new Enforcer(Options.Create(options), new AgentIdentity("cqx-bench", 1), TimeProvider.System,
            new FixedProbe(), new TimingNftables(_nft, _timeline), new TimingTc(_tc, _timeline), _runner, NullLogger<Enforcer>.Instance);
    }

    /// <summary>Where the time of the last submit went (since the previous call); starts the next measurement.</summary>
    public StepTimes LastSteps => _timeline.Take();

    /// <summary>Processes started so far: the agent's one place that starts them (ProcessCommandRunner) counts them.</summary>
    public long Processes => _runner.Started;

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
        _tc.Dispose();
        _state.Delete(recursive: true);
    }

    private sealed class FixedProbe : ICapabilityProbe
    {
        public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
            Task.FromResult(new AgentCapabilities(["htb", "bfifo", "pfifo"], [], true, true, false));
    }

    /// <summary>
    /// Milliseconds of one submit, per step: <c>Live</c> from its start until the last kernel call that changed
    /// something returned (the change is in force); <c>Before</c> until its first kernel call (parse, validate,
    /// stage, plan); the nft transaction and the tc changes themselves; <c>Commit</c> from the last change to the
    /// first read-back call (the document made durable: fsync, rename); the read-back calls (nft and tc).
    /// </summary>
    public readonly record struct StepTimes(double LiveMs, double BeforeMs, double NftMs, double TcMs, double CommitMs, double ReadBackMs);

    private sealed class Timeline
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly Lock _lock = new();
        private double _start, _first, _lastChange, _firstReadAfterChange, _nft, _tc, _readBack;

        public StepTimes Take()
        {
            lock (_lock)
            {
                var changed = _lastChange > 0;
                var t = new StepTimes(changed ? _lastChange - _start : 0, _first > 0 ? _first - _start : 0, _nft, _tc,
                    changed && _firstReadAfterChange > 0 ? _firstReadAfterChange - _lastChange : 0, _readBack);
                (_start, _first, _lastChange, _firstReadAfterChange, _nft, _tc, _readBack) = (_clock.Elapsed.TotalMilliseconds, 0, 0, 0, 0, 0, 0);
                return t;
            }
        }

        public async Task<T> TimeAsync<T>(bool nft, bool changes, Func<Task<T>> call)
        {
            var begin = _clock.Elapsed.TotalMilliseconds;
            var r = await call();
            var end = _clock.Elapsed.TotalMilliseconds;
            lock (_lock)
            {
                _first = _first > 0 ? _first : begin;
                if (changes)
                {
                    (_lastChange, _firstReadAfterChange) = (end, 0);   // a read between changes (tc roots held) is not the read-back
                    if (nft)
                    {
                        _nft += end - begin;
                    }
                    else
                    {
                        _tc += end - begin;
                    }
                }
                else
                {
                    _readBack += end - begin;
                    _firstReadAfterChange = _lastChange > 0 && _firstReadAfterChange == 0 ? begin : _firstReadAfterChange;
                }
            }
            return r;
        }
    }

    private sealed class TimingNftables(INftables inner, Timeline timeline) : INftables
    {
        public Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct) => timeline.TimeAsync(nft: true,
            changes: !commands.StartsWith("list ", StringComparison.Ordinal) && !commands.StartsWith("get ", StringComparison.Ordinal),
            () => inner.RunAsync(commands, json, ct));
    }

    private sealed class TimingTc(ITrafficControl inner, Timeline timeline) : ITrafficControl
    {
        public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct) =>
            timeline.TimeAsync(nft: false, changes: true, () => inner.ApplyAsync(objects, ct));

        public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) =>
            timeline.TimeAsync(nft: false, changes: false, () => inner.ReadAsync(devices, ct));

        public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct) =>
            timeline.TimeAsync(nft: false, changes: true, () => inner.DeleteRootAsync(device, ct));
    }
}
