using System.Globalization;
using System.Text.RegularExpressions;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>
/// Records the replay capture on the real kernel: tcpdump on the gateway's br0 (snaplen 128, as the agent's
/// live capture) while iperf3 runs three groups of flows through two bottlenecks (HTB + ~10 ms bfifo: real
/// queueing delay, real drops and so real retransmissions): client 1 uploads 8 streams and downloads 4
/// (timestamps on), client 2 uploads 4 streams without timestamps. Cached under the temp directory, not git.
/// </summary>
internal static partial class LabCapture
{
    public static string CachePath(int packets) => Path.Combine(Path.GetTempPath(), "cqx-mbn", $"lab-{packets}.pcap");

    /// <summary>The cached capture, or a new one; a line describing where it came from.</summary>
    public static async Task<(string Path, string Origin)> GetAsync(MeasureOptions options)
    {
        if (options.Pcap is { } given)
        {
            return (given, $"given: {given}");
        }
        var path = CachePath(options.Packets);
        if (File.Exists(path) && !options.Record)
        {
            return (path, $"cached lab capture {path} (recorded {File.GetLastWriteTimeUtc(path):yyyy-MM-dd HH:mm} UTC; --record makes a new one)");
        }
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("recording the lab capture needs root (network namespaces); pass --pcap FILE to replay another capture");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var lab = await MeasureLab.UpAsync();
        var summary = await RecordAsync(lab, path, options.Packets);
        return (path, $"lab capture recorded now: {path}; tcpdump: {summary}");
    }

    private static async Task<string> RecordAsync(MeasureLab lab, string path, int packets)
    {
        await MeasureLab.Bottleneck("wan0", 200);
        await MeasureLab.Bottleneck("lan-c1", 100);
        await lab.IperfServersAsync(5201, 5202, 5203);
        var partial = path + ".partial";
        var tcpdump = lab.Start(MeasureLab.Gateway, "tcpdump", "-i", "br0", "-s", "128", "-U", "-Z", "root",
            "-c", packets.ToString(CultureInfo.InvariantCulture), "-w", partial, "tcp");
        await tcpdump.WaitForAsync("listening on", TimeSpan.FromSeconds(10));
        string[] server = ["iperf3", "-c", MeasureLab.ServerAddress, "-t", "30"];
        var flows = new[]
        {
            lab.Start(MeasureLab.Client1, [.. server, "-p", "5201", "-P", "8"]),
            lab.Start(MeasureLab.Client1, [.. server, "-p", "5202", "-P", "4", "-R"]),
            lab.Start(MeasureLab.Client2, [.. server, "-p", "5203", "-P", "4"]),
        };
        if (!await tcpdump.WaitForExitAsync(TimeSpan.FromSeconds(40)))
        {
            tcpdump.Terminate();
            await tcpdump.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        foreach (var flow in flows)
        {
            await flow.DisposeAsync();
        }
        var counts = string.Join(", ", TcpdumpCount().Matches(tcpdump.Output).Select(m => m.Value));
        if (!File.Exists(partial) || !counts.StartsWith(packets.ToString(CultureInfo.InvariantCulture) + " packets captured", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"tcpdump did not capture {packets} packets: {tcpdump.Output}");
        }
        File.Move(partial, path, overwrite: true);
        return counts;
    }

    [GeneratedRegex(@"\d+ packets? (captured|received by filter|dropped by kernel)")]
    private static partial Regex TcpdumpCount();
}
