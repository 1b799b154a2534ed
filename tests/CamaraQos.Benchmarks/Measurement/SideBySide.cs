using System.Diagnostics;
using System.Globalization;

namespace CamaraQos.Benchmarks.Measurement;

public sealed record ToolRun(string Tool, string Command, int ExitCode, long Samples, double MedianRttMs, double WallSeconds, double CpuSeconds, string LastLine);

/// <summary>
/// Whole programs on the same capture file, one after the other: the agent's own <c>--read-pcap</c> mode
/// and, when installed, pping (pollere/pping: <c>pping -r FILE -m -q</c>, one line per timestamp RTT
/// sample) and tcptrace (Debian's, <c>tcptrace -n -l -r FILE</c>: SEQ/ACK RTT, a summary per connection
/// and no line per sample, so it shows what analysing without printing costs).
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
                ? (1, double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)) : (0, null));
    }

    /// <summary>pping's machine-readable lines: "TIME RTT MINRTT FBYTES DBYTES PBYTES FLOW", RTT in seconds.</summary>
    public static Task<ToolRun> PpingAsync(string pping, string pcap) =>
        RunAsync("pping -r", pping, ["-r", pcap, "-m", "-q"], line =>
        {
            var fields = line.Split(' ');
            return fields.Length >= 7 && double.TryParse(fields[1], CultureInfo.InvariantCulture, out var seconds) ? (1, seconds * 1000) : (0, null);
        });

    /// <summary>tcptrace's long output: "RTT samples: N" once per direction (two columns a line); SEQ/ACK samples, no per-sample RTT.</summary>
    public static Task<ToolRun> TcptraceAsync(string tcptrace, string pcap) =>
        RunAsync("tcptrace -r (summary)", tcptrace, ["-n", "-l", "-r", pcap], line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is ["RTT", "samples:", var a, "RTT", "samples:", var b]
                ? (int.Parse(a, CultureInfo.InvariantCulture) + int.Parse(b, CultureInfo.InvariantCulture), null) : (0, null);
        });

    /// <summary>The given program, else <paramref name="name"/> on PATH; null when there is none.</summary>
    public static string? Find(string? given, string name) => given ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <param name="sample">Per output line: how many RTT samples it reports, and the RTT in ms when it gives one.</param>
    private static async Task<ToolRun> RunAsync(string tool, string file, string[] args, Func<string, (int Count, double? Rtt)> sample)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var (rtts, count, last) = (new List<double>(), 0L, "");
        var cpu = Clocks.ChildrenCpuNanoseconds();
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var (n, rtt) = sample(line);
            count += n;
            if (rtt is { } ms)
            {
                rtts.Add(ms);
            }
            last = line.Length > 0 ? line : last;
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cancel.Token);
        var (elapsed, used) = (wall.Elapsed.TotalSeconds, (Clocks.ChildrenCpuNanoseconds() - cpu) / 1e9);
        rtts.Sort();
        var error = (await stderr).Trim();
        return new ToolRun(tool, $"{file} {string.Join(' ', args)}", process.ExitCode, count,
            rtts.Count == 0 ? double.NaN : rtts[rtts.Count / 2], elapsed, used, process.ExitCode == 0 ? last : error);
    }
}
