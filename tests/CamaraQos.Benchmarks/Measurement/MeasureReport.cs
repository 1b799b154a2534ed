using System.Globalization;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>The measurement benchmark's figures as Markdown tables, ready for docs/BENCHMARKS.md.</summary>
internal static class MeasureReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Replay(List<Pass> passes)
    {
        var medians = ReplayBench.Loops.Select(loop => Median(passes.Where(p => p.Name == loop).ToList())).ToList();
        var floor = medians[0].CpuNsPerPacket;
        Console.WriteLine("| loop | packets | packets/s (wall) | CPU ns/packet | CPU ns/packet above read | bytes allocated/packet | result |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in medians)
        {
            Console.WriteLine(string.Create(C, $"| {m.Name} | {m.Packets:N0} | {m.PacketsPerSecond:N0} | {m.CpuNsPerPacket:F1} | {m.CpuNsPerPacket - floor:F1} | {m.BytesPerPacket:F2} | {m.Result:N0} |"));
        }
        var (parse, engine, naive) = (medians[1].CpuNsPerPacket - floor, medians[2].CpuNsPerPacket - floor, medians[3].CpuNsPerPacket - floor);
        Console.WriteLine(string.Create(C, $"ratios of CPU above read: engine / FrameParser {engine / parse:F1}, PacketDotNet parse / engine {naive / engine:F1}, PacketDotNet parse / FrameParser {naive / parse:F1}"));
        Console.WriteLine("results: read = bytes read, FrameParser = TCP segments parsed, engine = RTT samples, PacketDotNet = timestamp options decoded");
    }

    /// <summary>The pass with the median CPU time per packet.</summary>
    private static Pass Median(List<Pass> passes) => passes.OrderBy(p => p.CpuNsPerPacket).ElementAt(passes.Count / 2);

    public static void Memory(MemoryFigures m)
    {
        static string Mib(long bytes) => string.Create(C, $"{bytes / 1048576.0:F1} MiB");
        Console.WriteLine("| state | managed heap | RSS | flows tracked |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| before the engine | {Mib(m.HeapBaseline)} | {Mib(m.RssBaseline)} | — |");
        Console.WriteLine(string.Create(C, $"| empty engine, capacity {m.Capacity:N0} | +{Mib(m.HeapEmpty - m.HeapBaseline)} | +{Mib(m.RssEmpty - m.RssBaseline)} | 0 |"));
        Console.WriteLine(string.Create(C, $"| fed {m.Flows:N0} flows (2 packets each) | +{Mib(m.HeapFlows - m.HeapBaseline)} | +{Mib(m.RssFlows - m.RssBaseline)} | {m.Flows:N0} |"));
        Console.WriteLine(string.Create(C, $"| then {m.MorePackets:N0} more packets | +{Mib(m.HeapMore - m.HeapBaseline)} | +{Mib(m.RssMore - m.RssBaseline)} | {m.Flows:N0} |"));
        Console.WriteLine(string.Create(C, $"bytes per flow (heap of the empty engine / capacity): {(m.HeapEmpty - m.HeapBaseline) / (double)m.Capacity:F0}; "
            + $"growth from {m.Flows:N0} flows: heap {m.HeapFlows - m.HeapEmpty:N0} B, RSS {m.RssFlows - m.RssEmpty:N0} B; "
            + $"growth from the {m.MorePackets:N0} more packets: heap {m.HeapMore - m.HeapFlows:N0} B, RSS {m.RssMore - m.RssFlows:N0} B, allocated {m.MoreAllocated:N0} B"));
        Console.WriteLine(string.Create(C, $"with {m.Flows:N0} live flows: {m.MorePacketsPerSecond:N0} packets/s, {m.MoreCpuNsPerPacket:F1} CPU ns/packet (parse + engine, no pcap reading); untracked {m.Untracked}, evicted {m.Evicted}"));
    }

    public static void Live(List<LiveFigures> figures)
    {
        Console.WriteLine("| iperf3 -b | iperf3 Mbit/s | packets captured | packets/s | kernel drops | interface drops | process CPU (of it system) | CPU ns/packet | bytes allocated/packet |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            Console.WriteLine(string.Create(C, $"| {f.Rate} | {f.IperfMbps:F0} | {f.Packets:N0} | {f.PacketsPerSecond:N0} | {f.KernelDrops:N0} | {f.InterfaceDrops:N0} | {f.ProcessCpuSeconds / f.Seconds * 100:F0} % of a core ({f.SystemCpuSeconds / f.Seconds * 100:F0} %) | {f.CpuNsPerPacket:F0} | {f.BytesPerPacket:F0} |"));
        }
        var clean = figures.Where(f => f.KernelDrops == 0 && f.InterfaceDrops == 0).ToList();
        Console.WriteLine(clean.Count == 0 ? "drops at every rate"
            : string.Create(C, $"highest rate seen with zero drops: {clean.Max(f => f.PacketsPerSecond):N0} packets/s"));
    }

    public static void Programs(List<ToolRun> runs, long packets)
    {
        Console.WriteLine("| program | exit | RTT samples (agent, pping: timestamp ones; tcptrace: SEQ/ACK) | median RTT | wall | CPU | packets per CPU second |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(C, $"| {r.Tool} | {r.ExitCode} | {r.Samples:N0} | {(double.IsNaN(r.MedianRttMs) ? "—" : string.Create(C, $"{r.MedianRttMs:F3} ms"))} | {r.WallSeconds:F2} s | {r.CpuSeconds:F2} s | {packets / r.CpuSeconds:N0} |"));
        }
        foreach (var r in runs)
        {
            Console.WriteLine($"{r.Tool}: {r.Command}\n  last line: {r.LastLine}");
        }
    }
}
