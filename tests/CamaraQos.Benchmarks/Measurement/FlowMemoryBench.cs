extern alias agent;
using System.Buffers.Binary;
using System.Diagnostics;
using agent::CamaraQos.Agent.Measurement;

namespace CamaraQos.Benchmarks.Measurement;

public sealed record MemoryFigures(
    int Capacity, long HeapBaseline, long RssBaseline, long HeapEmpty, long RssEmpty,
    int Flows, long HeapFlows, long RssFlows, long HeapMore, long RssMore,
    long MorePackets, long MoreAllocated, double MoreCpuNsPerPacket, double MorePacketsPerSecond, long Untracked, long Evicted);

/// <summary>
/// Memory with many concurrent flows: an engine sized for <c>--flows</c> is fed that many distinct flows
/// (device 10.0.0.0/8 + i ↔ 203.0.113.5:443, a data segment up and its ACK down, both with timestamps,
/// so every flow also yields an RTT sample), then <c>--more-packets</c> more on the same flows. The frames
/// are two 66-byte header templates patched in place (FrameParser takes lengths from the IP header, so no
/// payload bytes are needed): generating them costs no allocation, and what is measured is the engine.
/// </summary>
internal static class FlowMemoryBench
{
    private const int Mss = 1448;

    public static MemoryFigures Run(int flows, int morePackets)
    {
        var (heap0, rss0) = (Clocks.HeapBytes(), Clocks.ResidentBytes());
        IpPrefix.TryParse("10.0.0.0/8", out var lan);
        var engine = new MeasurementEngine(new MeasurementOptions { FlowCapacity = flows, LanPrefixes = [lan!.Value] });
        var (heap1, rss1) = (Clocks.HeapBytes(), Clocks.ResidentBytes());
        var frames = new Templates();
        var now = 1_000_000_000L * TimeSpan.TicksPerMillisecond;
        for (var i = 0; i < flows; i++)
        {
            Exchange(engine, frames, i, round: 0, ref now);
        }
        var (heap2, rss2) = (Clocks.HeapBytes(), Clocks.ResidentBytes());
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Clocks.ThreadCpuNanoseconds();
        var wall = Stopwatch.GetTimestamp();
        for (var k = 0; k < morePackets / 2; k++)
        {
            Exchange(engine, frames, k % flows, round: 1 + k / flows, ref now);
        }
        var (cpuNs, wallNs) = (Clocks.ThreadCpuNanoseconds() - cpu, Stopwatch.GetElapsedTime(wall).TotalNanoseconds);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var sent = morePackets / 2 * 2L;
        var (heap3, rss3) = (Clocks.HeapBytes(), Clocks.ResidentBytes());
        GC.KeepAlive(engine);
        return new MemoryFigures(flows, heap0, rss0, heap1, rss1, engine.Flows, heap2, rss2, heap3, rss3,
            sent, allocated, (double)cpuNs / sent, sent * 1e9 / wallNs, engine.Untracked, engine.Evicted);
    }

    /// <summary>Round r of flow i: 1448 bytes up (TSval r+1), 1 µs later the server's ACK echoing it.</summary>
    private static void Exchange(MeasurementEngine engine, Templates frames, int flow, int round, ref long now)
    {
        var device = 0x0A000000u + (uint)flow;
        var seq = 1_000u + (uint)round * Mss;
        var tsVal = 100u + (uint)round;
        frames.Set(frames.Up, device, seq, ack: 5_000, tsVal, tsEcr: 7_000 + (uint)round);
        engine.OnPacket(frames.Up, now += 10, CaptureSide.Single);
        frames.Set(frames.Down, device, 5_000, ack: seq + Mss, 7_001 + (uint)round, tsVal);
        engine.OnPacket(frames.Down, now += 10, CaptureSide.Single);
    }

    /// <summary>Ethernet + IPv4 (20) + TCP (32: NOP NOP TS, RFC 7323 Appendix A) headers, fields patched per packet.</summary>
    private sealed class Templates
    {
        public byte[] Up { get; } = Header(ipLength: 20 + 32 + Mss, fromDevice: true);

        public byte[] Down { get; } = Header(ipLength: 20 + 32, fromDevice: false);

        private static byte[] Header(int ipLength, bool fromDevice)
        {
            var f = new byte[14 + 20 + 32];
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
            f[14] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)ipLength);
            f[22] = 64;
            f[23] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(fromDevice ? 30 : 26), 0xCB007105); // 203.0.113.5
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(fromDevice ? 34 : 36), 50_000);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(fromDevice ? 36 : 34), 443);
            f[46] = 8 << 4;
            f[47] = 0x10; // ACK
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(48), 65_535);
            f[54] = 1;
            f[55] = 1;
            f[56] = 8;
            f[57] = 10;
            return f;
        }

        public void Set(byte[] frame, uint device, uint seq, uint ack, uint tsVal, uint tsEcr)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(frame == Up ? 26 : 30), device);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(38), seq);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(42), ack);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(58), tsVal);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(62), tsEcr);
        }
    }
}
