extern alias agent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using agent::CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Tests.Native;

namespace CamaraQos.Benchmarks.Measurement;

public sealed record LiveFigures(string Rate, double IperfMbps, long Packets, long KernelDrops, long InterfaceDrops, double Seconds, double ProcessCpuSeconds)
{
    public double PacketsPerSecond => Packets / Seconds;

    public double CpuNsPerPacket => Packets == 0 ? 0 : ProcessCpuSeconds * 1e9 / Packets;
}

/// <summary>
/// The agent's LiveCapture (libpcap through SharpPcap, snaplen 128, kernel filter "tcp", one capture thread
/// feeding the engine) on the gateway's br0 while one bounded iperf3 stream crosses it at a few rates,
/// offloads off (so every 1,500-byte packet is one capture). Drops are pcap_stats(3PCAP)'s, deltas per rate.
/// CPU is this whole process's (the capture thread is nearly all of it) over the run.
/// </summary>
internal static partial class LiveBench
{
    private static readonly string[] Rates = ["100M", "300M", "1000M", "0"];

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
        foreach (var rate in Rates)
        {
            figures.Add(await OneRateAsync(lab, capture, rate, seconds));
        }
        return figures;
    }

    private static async Task<LiveFigures> OneRateAsync(MeasureLab lab, LiveCapture capture, string rate, int seconds)
    {
        var before = capture.Counters();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await using var iperf = lab.Start(MeasureLab.Client1, "iperf3", "-c", MeasureLab.ServerAddress, "-p", "5301",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-b", rate);
        if (!await iperf.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 15)) || iperf.ExitCode != 0)
        {
            throw new InvalidOperationException($"iperf3 -b {rate} failed: {iperf.Output}");
        }
        await SettleAsync(capture);
        var elapsed = wall.Elapsed.TotalSeconds;
        var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var after = capture.Counters();
        var match = Receiver().Match(iperf.Output);
        var mbps = match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * match.Groups[2].Value switch { "G" => 1000, "K" => 0.001, _ => 1 } : double.NaN;
        return new LiveFigures(rate == "0" ? "unlimited" : rate + "bit/s", mbps, after.Packets - before.Packets,
            after.KernelDrops - before.KernelDrops, after.InterfaceDrops - before.InterfaceDrops, elapsed, used);
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
