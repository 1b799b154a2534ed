using System.Globalization;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>
/// <c>measurement [--packets 300000] [--rounds 5] [--flows 100000] [--more-packets 1000000] [--live-seconds 3]
/// [--pcap FILE] [--pping FILE] [--agent FILE] [--record] [--no-live]</c>. Every phase is bounded so a run stays within a few
/// minutes on two cores.
/// </summary>
public sealed record MeasureOptions(int Packets, int Rounds, int Flows, int MorePackets, int LiveSeconds)
{
    public const string Usage = "usage: measurement [--packets 300000] [--rounds 5] [--flows 100000] [--more-packets 1000000] "
        + "[--live-seconds 3] [--pcap FILE] [--pping FILE] [--agent FILE] [--record] [--no-live]";

    /// <summary>A capture to replay instead of the one recorded in the lab (and cached).</summary>
    public string? Pcap { get; init; }

    /// <summary>A pping binary to run on the same capture; else <c>pping</c> on PATH, if any.</summary>
    public string? Pping { get; init; }

    /// <summary>The agent binary whose --read-pcap runs beside pping (e.g. the NativeAOT one); else the one built beside this program.</summary>
    public string? Agent { get; init; }

    /// <summary>Record the lab capture again even when a cached one exists.</summary>
    public bool Record { get; init; }

    public bool Live { get; init; } = true;

    private static readonly Dictionary<string, (int Default, int Min, int Max)> Bounds = new(StringComparer.Ordinal)
    {
        ["--packets"] = (300_000, 10_000, 2_000_000),
        ["--rounds"] = (5, 1, 50),
        ["--flows"] = (100_000, 1_000, 1_000_000),
        ["--more-packets"] = (1_000_000, 10_000, 20_000_000),
        ["--live-seconds"] = (3, 1, 20),
    };

    public static MeasureOptions Parse(string[] args)
    {
        var values = Bounds.ToDictionary(b => b.Key, b => b.Value.Default, StringComparer.Ordinal);
        var (pcap, pping, agent, record, live) = ((string?)null, (string?)null, (string?)null, false, true);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--record":
                    record = true;
                    break;
                case "--no-live":
                    live = false;
                    break;
                case "--pcap" when i + 1 < args.Length:
                    pcap = ExistingFile(args[i], args[++i]);
                    break;
                case "--pping" when i + 1 < args.Length:
                    pping = ExistingFile(args[i], args[++i]);
                    break;
                case "--agent" when i + 1 < args.Length:
                    agent = ExistingFile(args[i], args[++i]);
                    break;
                case var name when Bounds.TryGetValue(name, out var b) && i + 1 < args.Length
                    && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= b.Min && value <= b.Max:
                    values[name] = value;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"Unknown option or bad value near '{args[i]}' (counts within "
                        + string.Join(", ", Bounds.Select(b => $"{b.Key} {b.Value.Min}..{b.Value.Max}")) + $"). {Usage}");
            }
        }
        return new(values["--packets"], values["--rounds"], values["--flows"], values["--more-packets"], values["--live-seconds"])
        {
            Pcap = pcap,
            Pping = pping,
            Agent = agent,
            Record = record,
            Live = live,
        };
    }

    private static string ExistingFile(string option, string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"{option}: no file '{path}'. {Usage}");
}
