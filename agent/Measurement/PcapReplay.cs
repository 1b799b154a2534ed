using System.Diagnostics;
using System.Globalization;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// <c>camaraqos-agent --read-pcap FILE [--lan-prefix CIDR]...</c>: runs a capture file through the engine
/// as one capture point, printing every RTT sample ("rtt SECONDS DEVICE SERVER HALF METHOD MS"), one
/// line per aggregated flow, and the engine's packets per second, by wall time and by the process's CPU
/// time (on a shared machine the second is the one that compares with other tools).
/// </summary>
public static class PcapReplay
{
    public static int Run(string path, IReadOnlyList<string> lanPrefixes, TextWriter output, TextWriter error)
    {
        var prefixes = new List<IpPrefix>();
        foreach (var text in lanPrefixes)
        {
            if (!IpPrefix.TryParse(text, out var prefix))
            {
                error.WriteLine($"camaraqos-agent: --lan-prefix '{text}' is not a CIDR prefix (e.g. 192.168.1.0/24)");
                return 2;
            }
            prefixes.Add(prefix.Value);
        }
        try
        {
            using var reader = new PcapFileReader(File.OpenRead(path));
            Replay(reader, new MeasurementOptions { LanPrefixes = prefixes }, output);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"camaraqos-agent: cannot read '{path}': {e.Message}");
            return 2;
        }
    }

    private static void Replay(PcapFileReader reader, MeasurementOptions options, TextWriter output)
    {
        var samples = new List<RttSample>();
        var engine = new MeasurementEngine(options, samples.Add);
        var (first, last) = (-1L, 0L);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        while (reader.TryRead(out var ticks, out var frame))
        {
            first = first < 0 ? ticks : first;
            last = ticks;
            engine.OnPacket(frame.Span, ticks, CaptureSide.Single, reader.Link);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var flows = engine.Collect(last);
        var inv = CultureInfo.InvariantCulture;
        foreach (var sample in samples)
        {
            output.WriteLine(string.Create(inv, $"rtt {(sample.TimestampTicks - first) / (double)TimeSpan.TicksPerSecond:0.000000} {sample}"));
        }
        foreach (var f in flows)
        {
            output.WriteLine(string.Create(inv,
                $"flow {f.Device} {f.Server}:{f.ServerPort} lan_p50={f.LanRttMs?.P50:0.000} wan_p50={f.WanRttMs?.P50:0.000} retransmissions={f.Retransmissions} up={f.PacketsUp}/{f.BytesUp} down={f.PacketsDown}/{f.BytesDown}"));
        }
        output.WriteLine(string.Create(inv,
            $"packets {engine.Packets} ignored {engine.Ignored} samples {samples.Count} in {elapsed:0.000} s, cpu {cpuSeconds:0.000} s: {PerSecond(engine.Packets, elapsed)} packets/s, {PerSecond(engine.Packets, cpuSeconds)} per cpu second"));
    }

    private static string PerSecond(long packets, double seconds) =>
        (seconds > 0 ? packets / seconds : 0).ToString("0", CultureInfo.InvariantCulture);
}
