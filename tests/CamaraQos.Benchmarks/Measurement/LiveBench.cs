extern alias agent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using agent::CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Tests.Native;

namespace CamaraQos.Benchmarks.Measurement;

public sealed record LiveFigures(string Rate, double IperfMbps, long Packets, long KernelDrops, long InterfaceDrops, double Seconds, double ProcessCpuSeconds, double SystemCpuSeconds, long Allocated)
{
    public double BytesPerPacket => Packets == 0 ? 0 : (double)Allocated / Packets;

    public double PacketsPerSecond => Packets / Seconds;

    public double CpuNsPerPacket => Packets == 0 ? 0 : ProcessCpuSeconds * 1e9 / Packets;
}

/// <summary>
/// The agent's LiveCapture (libpcap through SharpPcap, snaplen 128, kernel filter "tcp", one capture thread
/// feeding the engine) on the gateway's br0 while one bounded iperf3 stream crosses it at a few rates,
/// offloads off (so every 1,500-byte packet is one capture), and last 4 unbounded streams. Drops are pcap_stats(3PCAP)'s, deltas per rate.
/// CPU and allocations are this whole process's (the capture thread is nearly all of it) over the run.
/// </summary>
internal static partial class LiveBench
{
    /// <summary>iperf3 -b per stream (0: unbounded) and -P.</summary>
    private static readonly (string Rate, int Streams)[] Loads = [("100M", 1), ("300M", 1), ("1000M", 1), ("0", 1), ("0", 4)];

    public static async Task<List<LiveFigures>> RunAsync(MeasureLab lab, int seconds)
    {
        await lab.IperfServersAsync(5301);
        var engine = new MeasurementEngine(new MeasurementOptions());
        using var capture = NetnsThread.Run(MeasureLab.Gateway, () =>
        {
            var live = new LiveCapture(engine);
            live.Start("br0", CaptureSide.Single);
            return live;
        });
        var figures = new List<LiveFigures>();
        foreach (var (rate, streams) in Loads)
        {
            figures.Add(await OneRateAsync(lab, capture, rate, streams, seconds));
        }
        return figures;
    }

    private static async Task<LiveFigures> OneRateAsync(MeasureLab lab, LiveCapture capture, string rate, int streams, int seconds)
    {
        var before = capture.Counters();
        var (cpu, system) = Cpu();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        await using var iperf = lab.Start(MeasureLab.Client1, "iperf3", "-c", MeasureLab.ServerAddress, "-p", "5301",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-b", rate, "-P", streams.ToString(CultureInfo.InvariantCulture));
        if (!await iperf.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 15)) || iperf.ExitCode != 0)
        {
            throw new InvalidOperationException($"iperf3 -b {rate} failed: {iperf.Output}");
        }
        await SettleAsync(capture);
        var elapsed = wall.Elapsed.TotalSeconds;
        var (cpuAfter, systemAfter) = Cpu();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var (used, kernel) = ((cpuAfter - cpu).TotalSeconds, (systemAfter - system).TotalSeconds);
        var after = capture.Counters();
        // The last receiver line is the [SUM] one when there are several streams.
        var match = Receiver().Matches(iperf.Output).LastOrDefault();
        var mbps = match is not null ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * match.Groups[2].Value switch { "G" => 1000, "K" => 0.001, _ => 1 } : double.NaN;
        var label = (rate == "0" ? "unbounded" : rate + "bit/s") + (streams > 1 ? $" × {streams} streams" : "");
        return new LiveFigures(label, mbps, after.Packets - before.Packets,
            after.KernelDrops - before.KernelDrops, after.InterfaceDrops - before.InterfaceDrops, elapsed, used, kernel, allocated);
    }

    /// <summary>This process's CPU time, total and in the kernel (the capture's poll and copies are system time).</summary>
    private static (TimeSpan Total, TimeSpan System) Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, self.PrivilegedProcessorTime);
    }

    /// <summary>libpcap delivers asynchronously: waits (at most 5 s) until the count stops moving for 300 ms.</summary>
    private static async Task SettleAsync(LiveCapture capture)
    {
        var deadline = Stopwatch.StartNew();
        var (last, still) = (capture.Counters().Packets, Stopwatch.StartNew());
        while (deadline.Elapsed < TimeSpan.FromSeconds(5) && still.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            await Task.Delay(20);
            var now = capture.Counters().Packets;
            if (now != last)
            {
                (last, still) = (now, Stopwatch.StartNew());
            }
        }
    }

    [GeneratedRegex(@"([\d.]+) ([MGK])bits/sec.*receiver")]
    private static partial Regex Receiver();
}
