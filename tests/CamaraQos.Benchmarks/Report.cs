using System.Globalization;
using System.Runtime.InteropServices;

namespace CamaraQos.Benchmarks;

/// <summary>The run's figures as a Markdown table, ready for docs/BENCHMARKS.md.</summary>
public static class Report
{
    public static void Print(BenchOptions o, TimeSpan register, TimeSpan connect, Rate trivial, Rate pairs, LatencyResult latency)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}"));
        Console.WriteLine(string.Create(c, $"{o.Agents} simulated agents: registered in {register.TotalSeconds:F1} s, connected and online in {connect.TotalSeconds:F1} s"));
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Row(c, string.Create(c, $"trivial GET {Api.TrivialPath}, {o.Workers} workers"), string.Create(c, $"{trivial.PerSecond:F0} req/s ({trivial.Operations} in {trivial.Elapsed.TotalSeconds:F1} s)"));
        Row(c, string.Create(c, $"create+delete session pairs, {o.Workers} workers"), string.Create(c, $"{pairs.PerSecond:F0} pairs/s ({pairs.Operations} in {pairs.Elapsed.TotalSeconds:F1} s)"));
        Row(c, "ratio pairs/s : trivial req/s", string.Create(c, $"{pairs.PerSecond / trivial.PerSecond:F3} (1 : {trivial.PerSecond / pairs.PerSecond:F1})"));
        Row(c, string.Create(c, $"sessions created ({o.LatencyConcurrency} in flight, {o.Agents} agents online)"), string.Create(c, $"{latency.CreatedMs.Count} of {o.Sessions}, {latency.AvailableIn201} AVAILABLE in the 201 ({100.0 * latency.AvailableIn201 / Math.Max(1, latency.CreatedMs.Count):F1} %)"));
        Row(c, "POST 201 latency p50 / p99", string.Create(c, $"{Latency.Percentile(latency.CreatedMs, 50):F1} / {Latency.Percentile(latency.CreatedMs, 99):F1} ms"));
        Row(c, "create → AVAILABLE latency p50 / p99", string.Create(c, $"{Latency.Percentile(latency.AvailableMs, 50):F1} / {Latency.Percentile(latency.AvailableMs, 99):F1} ms"));
        Row(c, "errors (trivial / pairs / sessions)", string.Create(c, $"{trivial.Errors} / {pairs.Errors} / {latency.Failed}"));
        foreach (var error in new[] { trivial.FirstError, pairs.FirstError, latency.FirstError }.OfType<string>())
        {
            Console.WriteLine($"first error: {error}");
        }
    }

    private static void Row(CultureInfo c, string measure, string value) => Console.WriteLine(string.Create(c, $"| {measure} | {value} |"));
}
