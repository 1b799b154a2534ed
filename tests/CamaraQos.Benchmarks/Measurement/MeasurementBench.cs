extern alias agent;
using System.Globalization;
using System.Runtime.InteropServices;
using agent::CamaraQos.Agent.Measurement;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>
/// <c>dotnet run -c Release --project tests/CamaraQos.Benchmarks -- measurement</c> (docs/BENCHMARKS.md,
/// Agent / Measurement): the capture replayed on one thread beside its baselines, memory with many
/// concurrent flows, live capture at a few rates, and whole programs (ours, pping) on the same file.
/// </summary>
public static class MeasurementBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        MeasureOptions options;
        try
        {
            options = MeasureOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
        try
        {
            return await RunAsync(options);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or InvalidDataException)
        {
            // A missing tool (tcpdump, iperf3), no root, a lab command that failed or a file that is no pcap: one line, not a stack trace.
            Console.Error.WriteLine("measurement benchmark: " + e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(MeasureOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {Clocks.LoadAverage()}"));
        var (pcap, origin) = await LabCapture.GetAsync(options);
        Console.WriteLine("capture: " + origin);
        var lanPrefix = options.Pcap is null ? MeasureLab.LanPrefix : null;
        IpPrefix.TryParse(lanPrefix ?? "::/128", out var lan);
        var capture = await File.ReadAllBytesAsync(pcap);

        Console.WriteLine($"\nreplay from memory on one thread, {options.Rounds} rounds after one warm-up (medians):");
        var passes = ReplayBench.Run(capture, lanPrefix is null ? [] : [lan!.Value], options.Rounds);
        MeasureReport.Replay(passes);

        Console.WriteLine($"\nmemory: engine with FlowCapacity {options.Flows:N0} fed {options.Flows:N0} flows, then {options.MorePackets:N0} more packets:");
        MeasureReport.Memory(FlowMemoryBench.Run(options.Flows, options.MorePackets));

        if (options.Live)
        {
            Console.WriteLine($"\nlive capture (LiveCapture on the gateway's br0, one iperf3 stream, {options.LiveSeconds} s per rate), load average {Clocks.LoadAverage()}:");
            await using var lab = await MeasureLab.UpAsync();
            MeasureReport.Live(await LiveBench.RunAsync(lab, options.LiveSeconds));
        }

        Console.WriteLine($"\nwhole programs on the same file ({pcap}), load average {Clocks.LoadAverage()}:");
        var runs = new List<ToolRun> { await SideBySide.AgentAsync(null, pcap, lanPrefix) };
        if (options.Agent is { } agentBinary)
        {
            runs.Add(await SideBySide.AgentAsync(agentBinary, pcap, lanPrefix));
        }
        if (SideBySide.Find(options.Pping, "pping") is { } pping)
        {
            runs.Add(await SideBySide.PpingAsync(pping, pcap));
        }
        else
        {
            Console.WriteLine("pping: not found (not packaged in Debian; see docs/BENCHMARKS.md for building it and --pping FILE)");
        }
        if (SideBySide.Find(null, "tcptrace") is { } tcptrace)
        {
            runs.Add(await SideBySide.TcptraceAsync(tcptrace, pcap));
        }
        else
        {
            Console.WriteLine("tcptrace: not found (apt-get install tcptrace)");
        }
        MeasureReport.Programs(runs, passes[0].Packets);
        return 0;
    }
}
