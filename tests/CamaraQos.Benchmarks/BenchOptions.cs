using System.Globalization;

namespace CamaraQos.Benchmarks;

/// <summary>
/// Command-line bounds (<c>--agents 1000 --sessions 1000 --workers 8 --seconds 10 --latency-concurrency 8 --sync-confirm-ms 2000</c>). Every count and
/// every phase is bounded so a full run stays within about three minutes on two cores.
/// </summary>
public sealed record BenchOptions(int Agents, int Sessions, int Workers, int Seconds, int LatencyConcurrency, int SyncConfirmMs)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--agents"] = 1000,
            ["--sessions"] = 1000,
            ["--workers"] = 8,
            ["--seconds"] = 10,
            ["--latency-concurrency"] = 8,
            // The controller's default; 0 makes every 201 say REQUESTED, so AVAILABLE is found by polling.
            ["--sync-confirm-ms"] = 2000,
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (value < 1 && args[i] != "--sync-confirm-ms"))
            {
                throw new ArgumentException($"Unknown option or bad value near '{args[i]}'. Options: {string.Join(", ", values.Keys)} (positive integers; --sync-confirm-ms may be 0).");
            }
            values[args[i]] = value;
        }
        if (values["--agents"] > 65_000 || values["--sessions"] > values["--agents"])
        {
            throw new ArgumentException("--agents must be at most 65000 and --sessions at most --agents (one latency session per agent).");
        }
        return new(values["--agents"], values["--sessions"], values["--workers"], values["--seconds"], values["--latency-concurrency"], values["--sync-confirm-ms"]);
    }
}
