using System.Diagnostics;
using System.Globalization;

namespace CamaraQos.Benchmarks.Measurement;

public sealed record ToolRun(string Tool, string Command, int ExitCode, long Lines, double MedianRttMs, double WallSeconds, double CpuSeconds, string LastLine);

/// <summary>
/// Whole programs on the same capture file, one after the other: the agent's own <c>--read-pcap</c> mode
/// and, when there is one, pping (pollere/pping: <c>pping -r FILE -m -q</c>, one line per RTT sample).
/// Each is charged its own CPU time (getrusage(2) RUSAGE_CHILDREN before and after; process start, JIT
/// and output formatting included, as a user would pay them). Reading their output is this process's cost.
/// </summary>
internal static class SideBySide
{
    /// <summary>The agent's samples: "rtt SECONDS DEVICE SERVER HALF METHOD MS"; the RTT is the last field.</summary>
    public static Task<ToolRun> AgentAsync(string? agent, string pcap, string? lanPrefix)
    {
        string[] args = lanPrefix is null ? ["--read-pcap", pcap] : ["--read-pcap", pcap, "--lan-prefix", lanPrefix];
        return RunAsync(agent is null ? "camaraqos-agent --read-pcap (JIT, built beside)" : "camaraqos-agent --read-pcap (--agent)",
            agent ?? Path.Combine(AppContext.BaseDirectory, "camaraqos-agent"), args,
            line => line.StartsWith("rtt ", StringComparison.Ordinal) && line.Contains(" ts ", StringComparison.Ordinal)
                ? double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) : null);
    }

    /// <summary>pping's machine-readable lines: "TIME RTT MINRTT FBYTES DBYTES PBYTES FLOW", RTT in seconds.</summary>
    public static Task<ToolRun> PpingAsync(string pping, string pcap) =>
        RunAsync("pping -r", pping, ["-r", pcap, "-m", "-q"], line =>
        {
            var fields = line.Split(' ');
            return fields.Length >= 7 && double.TryParse(fields[1], CultureInfo.InvariantCulture, out var seconds) ? seconds * 1000 : null;
        });

    /// <summary>pping given with --pping, else on PATH; null when there is none.</summary>
    public static string? FindPping(string? given) => given ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "pping")).FirstOrDefault(File.Exists);

    private static async Task<ToolRun> RunAsync(string tool, string file, string[] args, Func<string, double?> sample)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var (rtts, last) = (new List<double>(), "");
        var cpu = Clocks.ChildrenCpuNanoseconds();
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (sample(line) is { } rtt)
            {
                rtts.Add(rtt);
            }
            last = line.Length > 0 ? line : last;
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cancel.Token);
        var (elapsed, used) = (wall.Elapsed.TotalSeconds, (Clocks.ChildrenCpuNanoseconds() - cpu) / 1e9);
        rtts.Sort();
        var error = (await stderr).Trim();
        return new ToolRun(tool, $"{file} {string.Join(' ', args)}", process.ExitCode, rtts.Count,
            rtts.Count == 0 ? double.NaN : rtts[rtts.Count / 2], elapsed, used, process.ExitCode == 0 ? last : error);
    }
}
