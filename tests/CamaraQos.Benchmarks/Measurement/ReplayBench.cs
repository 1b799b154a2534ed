extern alias agent;
using System.Diagnostics;
using agent::CamaraQos.Agent.Measurement;
using PacketDotNet;
using PacketDotNet.Tcp;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>One pass over the capture: wall time, CPU time of this thread, bytes this thread allocated.</summary>
internal readonly record struct Pass(string Name, long Packets, long WallNs, long CpuNs, long Allocated, long Result)
{
    public double PacketsPerSecond => Packets * 1e9 / WallNs;

    public double CpuNsPerPacket => (double)CpuNs / Packets;

    public double BytesPerPacket => (double)Allocated / Packets;
}

/// <summary>
/// Replays the capture on this one thread, from memory so the disk is out of the figure, through four
/// loops side by side: just reading the pcap records (the floor every loop pays), reading + FrameParser,
/// reading + the full engine (the agent's hot path), and reading + PacketDotNet's Packet.ParsePacket with
/// its TCP options decoded (the naive way: a byte[] per packet and an object graph per packet).
/// Rounds alternate the loops so machine noise hits all of them alike.
/// </summary>
internal static class ReplayBench
{
    public static readonly string[] Loops = ["read", "read+FrameParser", "read+engine", "read+PacketDotNet"];

    public static List<Pass> Run(byte[] capture, IReadOnlyList<IpPrefix> lan, int rounds)
    {
        var passes = new List<Pass>();
        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms up (JIT tiers, page faults of the engine's arrays) and is not kept.
            // The engine (its whole table is allocated here) and its callback exist before the clock starts.
            var samples = new SampleCounter();
            var engine = new MeasurementEngine(new MeasurementOptions { LanPrefixes = lan }, samples.Add);
            var run = new List<Pass>
            {
                Measure(Loops[0], () => ReadOnly(capture)),
                Measure(Loops[1], () => Parse(capture)),
                Measure(Loops[2], () => Engine(capture, engine, samples)),
                Measure(Loops[3], () => Naive(capture)),
            };
            if (round > 0)
            {
                passes.AddRange(run);
            }
        }
        return passes;
    }

    private static Pass Measure(string name, Func<(long Packets, long Result)> loop)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Clocks.ThreadCpuNanoseconds();
        var wall = Stopwatch.GetTimestamp();
        var (packets, result) = loop();
        var wallNs = (long)Stopwatch.GetElapsedTime(wall).TotalNanoseconds;
        return new Pass(name, packets, wallNs, Clocks.ThreadCpuNanoseconds() - cpu, GC.GetAllocatedBytesForCurrentThread() - allocated, result);
    }

    private static (long, long) ReadOnly(byte[] capture)
    {
        using var reader = new PcapFileReader(new MemoryStream(capture, writable: false));
        var (packets, bytes) = (0L, 0L);
        while (reader.TryRead(out _, out var frame))
        {
            packets++;
            bytes += frame.Length;
        }
        return (packets, bytes);
    }

    private static (long, long) Parse(byte[] capture)
    {
        using var reader = new PcapFileReader(new MemoryStream(capture, writable: false));
        var (packets, tcp) = (0L, 0L);
        while (reader.TryRead(out _, out var frame))
        {
            packets++;
            tcp += FrameParser.TryParse(frame.Span, reader.Link, out _) ? 1 : 0;
        }
        return (packets, tcp);
    }

    /// <summary>Result: RTT samples, counted by the engine's callback (no list, so no allocation of ours).</summary>
    private static (long, long) Engine(byte[] capture, MeasurementEngine engine, SampleCounter samples)
    {
        using var reader = new PcapFileReader(new MemoryStream(capture, writable: false));
        while (reader.TryRead(out var ticks, out var frame))
        {
            engine.OnPacket(frame.Span, ticks, CaptureSide.Single, reader.Link);
        }
        return (engine.Packets, samples.Count);
    }

    /// <summary>Result: packets whose TCP timestamp option PacketDotNet decoded.</summary>
    private static (long, long) Naive(byte[] capture)
    {
        using var reader = new PcapFileReader(new MemoryStream(capture, writable: false));
        var link = reader.Link == LinkLayer.RawIp ? LinkLayers.Raw : LinkLayers.Ethernet;
        var (packets, timestamps) = (0L, 0L);
        while (reader.TryRead(out _, out var frame))
        {
            packets++;
            // OptionsCollection is null for a header without options (PacketDotNet 1.4.8).
            if (Packet.ParsePacket(link, frame.ToArray()).Extract<TcpPacket>()?.OptionsCollection is not { } options)
            {
                continue;
            }
            foreach (var option in options)
            {
                if (option is TimeStampOption ts && ts.Value + ts.EchoReply != 1)
                {
                    timestamps++;
                }
            }
        }
        return (packets, timestamps);
    }

    private sealed class SampleCounter
    {
        public long Count { get; private set; }

        public void Add(RttSample sample) => Count++;
    }
}
