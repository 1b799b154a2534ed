using System.Diagnostics;
using System.Globalization;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests.Benchmarks;

/// <summary>
/// Figures for docs/BENCHMARKS.md (section Agent), not timed assertions: apply latency of 1, 100 and 1,000 policies, of
/// one session added or removed among 1,000, of 1,000 from scratch, processes started per apply, and forwarding
/// throughput through the gateway with 1,000 policies vs none. CI runs a short pass (it still
/// fails if a document does not apply or traffic does not flow); the documented figures come from
/// <c>CQX_BENCH_RUNS=20 CQX_BENCH_SECONDS=5</c>.
/// </summary>
public sealed class AgentBenchmarks : IAsyncLifetime
{
    private const int BulkPort = 5201;
    private const int LineKbps = 10_000_000;
    private TestLab? _lab;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheEnforcerAppliesOneToAThousandPoliciesAndTheGatewayForwardsWithAThousandRulesPrintingTheFigures()
    {
        Privileged.Require("Agent benchmarks in the namespace lab");
        var runs = Setting("CQX_BENCH_RUNS", 3);
        var seconds = Setting("CQX_BENCH_SECONDS", 2);
        _lab = await TestLab.UpAsync("cqx-bch", 212);
        // Shaping far above what veths forward here, so the HTB trees exist but the CPU is the limit.
        using var enforcer = new BenchEnforcer(_lab.Namespace("gw"), LineKbps);
        var lines = new List<string> { $"runs per measure {runs} (after one warm-up), iperf3 -t {seconds}", "| measure | submit p50 ms | submit p99 ms | kernel live p50 ms | kernel live p99 ms | before the kernel p50 ms | nft transaction p50 ms | tc changes p50 ms | commit p50 ms | read-back p50 ms | processes per apply |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" };
        foreach (var size in (int[])[1, 100, 1000])
        {
            lines.Add(Row($"document of {size} policies, every element changed", await ApplyTimesAsync(enforcer, size, runs)));
        }
        var thousand = Enumerable.Range(0, 1000).Select(i => BenchEnforcer.Policy(i, 0)).ToArray();
        foreach (var guaranteed in (bool[])[true, false])
        {
            var extra = BenchEnforcer.Policy(1000, 0, guaranteed);
            var label = guaranteed ? "1 Mbit/s guaranteed: the HTB rate moves too" : "no guarantee: elements only";
            lines.Add(Row($"one session added or removed, 1,000 in place ({label})",
                await TimesAsync(enforcer, runs, i => enforcer.SubmitAsync(i % 2 == 0 ? [.. thousand, extra] : thousand, Ct))));
        }
        lines.Add(Row("document of 1,000 policies applied from scratch (table and trees removed before)",
            await TimesAsync(enforcer, runs, async _ => await enforcer.SubmitAsync(thousand, Ct), () => enforcer.CleanupAsync(Ct))));

        using var server = await Traffic.IperfServer.StartAsync(_lab, BulkPort);
        await enforcer.SubmitAsync(0, 0, Ct);
        var none = await Traffic.BulkAsync(_lab, "lan1", BulkPort, 1, seconds);
        await enforcer.SubmitAsync(1000, 0, Ct);
        var loaded = await Traffic.BulkAsync(_lab, "lan1", BulkPort, 1, seconds);
        lines.Add(Invariant($"forwarding lan1 → server through the gateway (1 TCP stream): none {none / 1000:F0} Mbit/s, 1,000 policies {loaded / 1000:F0} Mbit/s, ratio {loaded / none:F2}"));

        var report = string.Join('\n', lines);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(none > 0 && loaded > 0, report);
    }

    /// <summary>Wall time of SubmitAsync for <paramref name="size"/> policies; each run changes every element.</summary>
    private static Task<Figures> ApplyTimesAsync(BenchEnforcer enforcer, int size, int runs) =>
        TimesAsync(enforcer, runs, i => enforcer.SubmitAsync(size, (i + 1) % 2, Ct), warmUp: () => enforcer.SubmitAsync(size, 0, Ct));

    /// <summary>
    /// Wall time of <paramref name="apply"/> (run i), after one warm-up run; <paramref name="before"/> runs untimed
    /// before each. Also the processes the enforcer started per timed run.
    /// </summary>
    private static async Task<Figures> TimesAsync(BenchEnforcer enforcer, int runs, Func<int, Task> apply,
        Func<Task>? before = null, Func<Task>? warmUp = null)
    {
        await (warmUp ?? (() => apply(-1)))();
        var ms = new double[runs];
        var steps = new BenchEnforcer.StepTimes[runs];
        var processes = 0L;
        for (var i = 0; i < runs; i++)
        {
            if (before is not null)
            {
                await before();
            }
            var started = enforcer.Processes;
            _ = enforcer.LastSteps;
            var watch = Stopwatch.StartNew();
            await apply(i);
            ms[i] = watch.Elapsed.TotalMilliseconds;
            steps[i] = enforcer.LastSteps;
            processes += enforcer.Processes - started;
        }
        return new Figures(ms, steps, (double)processes / runs);
    }

    private sealed record Figures(double[] Ms, BenchEnforcer.StepTimes[] Steps, double Processes);

    private static string Row(string measure, Figures f)
    {
        var live = f.Steps.Select(n => n.LiveMs).ToArray();
        return $"| {measure} | {P(f.Ms, 50)} | {P(f.Ms, 99)} | {P(live, 50)} | {P(live, 99)} | {P([.. f.Steps.Select(n => n.BeforeMs)], 50)} | "
            + $"{P([.. f.Steps.Select(n => n.NftMs)], 50)} | {P([.. f.Steps.Select(n => n.TcMs)], 50)} | {P([.. f.Steps.Select(n => n.CommitMs)], 50)} | "
            + $"{P([.. f.Steps.Select(n => n.ReadBackMs)], 50)} | {Invariant($"{f.Processes:F1}")} |";
    }

    private static string P(double[] values, int percentile) => Invariant($"{Traffic.Percentile(values, percentile):F1}");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
