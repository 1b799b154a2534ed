using System.Diagnostics;
using System.Globalization;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests.Benchmarks;

/// <summary>
/// Figures for docs/BENCHMARKS.md (section Agent), not timed assertions: apply latency of 1, 100 and 1,000 policies and
/// forwarding throughput through the gateway with 1,000 policies vs none. CI runs a short pass (it still
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
        var lines = new List<string> { $"runs per size {runs} (after one warm-up), iperf3 -t {seconds}", "| policies | p50 ms | p99 ms | max ms |", "|---:|---:|---:|---:|" };
        foreach (var size in (int[])[1, 100, 1000])
        {
            var ms = await ApplyTimesAsync(enforcer, size, runs);
            lines.Add(Invariant($"| {size} | {Traffic.Percentile(ms, 50):F1} | {Traffic.Percentile(ms, 99):F1} | {ms.Max():F1} |"));
        }

        using var server = await Traffic.IperfServer.StartAsync(_lab, BulkPort);
        await enforcer.SubmitAsync(0, 0, Ct);
        var none = await Traffic.BulkAsync(_lab, "lan1", BulkPort, 1, seconds);
        await enforcer.SubmitAsync(1000, 0, Ct);
        var thousand = await Traffic.BulkAsync(_lab, "lan1", BulkPort, 1, seconds);
        lines.Add(Invariant($"forwarding lan1 → server through the gateway (1 TCP stream): none {none / 1000:F0} Mbit/s, 1,000 policies {thousand / 1000:F0} Mbit/s, ratio {thousand / none:F2}"));

        var report = string.Join('\n', lines);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(none > 0 && thousand > 0, report);
    }

    /// <summary>Wall time of SubmitAsync for <paramref name="size"/> policies; each run changes every rule.</summary>
    private static async Task<double[]> ApplyTimesAsync(BenchEnforcer enforcer, int size, int runs)
    {
        await enforcer.SubmitAsync(size, 0, Ct);
        var ms = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await enforcer.SubmitAsync(size, (i + 1) % 2, Ct);
            ms[i] = watch.Elapsed.TotalMilliseconds;
        }
        return ms;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
