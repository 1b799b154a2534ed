using System.Globalization;
using System.Runtime.InteropServices;

namespace CamaraQos.Benchmarks;

/// <summary>The run's figures as a Markdown table, ready for docs/BENCHMARKS.md.</summary>
public static class Report
{
    public static void Print(BenchOptions o, TimeSpan register, TimeSpan connect, Rate trivial, (Rate Rate, PairTimings Timings) pairRun, LatencyResult latency)
    {
        var c = CultureInfo.InvariantCulture;
        var (pairs, halves) = pairRun;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}"));
        Console.WriteLine(string.Create(c, $"{o.Agents} simulated agents: registered in {register.TotalSeconds:F1} s, connected and online in {connect.TotalSeconds:F1} s"));
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Row(string.Create(c, $"trivial GET {Api.TrivialPath}, {o.Workers} workers"), string.Create(c, $"{trivial.PerSecond:F0} req/s ({trivial.Operations} in {trivial.Elapsed.TotalSeconds:F1} s)"));
        Row(string.Create(c, $"create+delete session pairs, {o.Workers} workers"), string.Create(c, $"{pairs.PerSecond:F0} pairs/s ({pairs.Operations} in {pairs.Elapsed.TotalSeconds:F1} s)"));
        Row("ratio pairs/s : trivial req/s", string.Create(c, $"{pairs.PerSecond / trivial.PerSecond:F3} (1 : {trivial.PerSecond / pairs.PerSecond:F1})"));
        Row("pair halves p50 / p99: create, delete", string.Create(c, $"{Latency.Percentile(halves.CreateMs, 50):F1} / {Latency.Percentile(halves.CreateMs, 99):F1} ms, {Latency.Percentile(halves.DeleteMs, 50):F1} / {Latency.Percentile(halves.DeleteMs, 99):F1} ms"));
        Row(string.Create(c, $"sessions created ({o.LatencyConcurrency} in flight, {o.Agents} agents online, synchronous confirm {o.SyncConfirmMs} ms)"), string.Create(c, $"{latency.CreatedMs.Count} of {o.Sessions}, {latency.AvailableIn201} AVAILABLE in the 201 ({100.0 * latency.AvailableIn201 / Math.Max(1, latency.CreatedMs.Count):F1} %)"));
        Row("POST 201 latency p50 / p99", string.Create(c, $"{Latency.Percentile(latency.CreatedMs, 50):F1} / {Latency.Percentile(latency.CreatedMs, 99):F1} ms"));
        Row("create → AVAILABLE latency p50 / p99", string.Create(c, $"{Latency.Percentile(latency.AvailableMs, 50):F1} / {Latency.Percentile(latency.AvailableMs, 99):F1} ms"));
        Row("errors (trivial / pairs / sessions)", string.Create(c, $"{trivial.Errors} / {pairs.Errors} / {latency.Failed}"));
        foreach (var error in new[] { trivial.FirstError, pairs.FirstError, latency.FirstError }.OfType<string>())
        {
            Console.WriteLine($"first error: {error}");
        }
    }

    /// <summary>The machine is shared: the 1-minute load average (proc(5)) says how much else ran.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static void Row(string measure, string value) => Console.WriteLine($"| {measure} | {value} |");
}
