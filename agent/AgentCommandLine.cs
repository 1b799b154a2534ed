using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace CamaraQos.Agent;

public enum AgentMode
{
    Run,
    /// <summary><c>--cleanup</c>: remove everything the agent put in the kernel, then exit.</summary>
    Cleanup,
    /// <summary><c>--print-inventory</c>: print the status the agent would announce (JSON), then exit.</summary>
    PrintInventory,
    /// <summary><c>--read-pcap FILE [--lan-prefix CIDR]...</c>: print the RTT samples measured in a capture file.</summary>
    ReadPcap,
    /// <summary><c>--render FILE [--leaf KIND]</c>: print the nft and tc commands a desired document becomes, then exit.</summary>
    Render,
}

/// <summary>The agent's own switches, taken out before the rest reaches the command-line configuration.</summary>
public sealed record AgentCommandLine(AgentMode Mode, string ConfigPath, string[] ConfigurationArgs)
{
    /// <summary>The capture file of <see cref="AgentMode.ReadPcap"/> (null when it was not given).</summary>
    public string? PcapPath { get; init; }

    /// <summary>The desired document of <see cref="AgentMode.Render"/> (null when it was not given).</summary>
    public string? DocumentPath { get; init; }

    /// <summary><c>--leaf</c>: the leaf qdisc <see cref="AgentMode.Render"/> assumes (the probe chooses on a gateway).</summary>
    public string Leaf { get; init; } = "fq_codel";

    /// <summary><c>--lan-prefix</c> values: where the devices are, for <see cref="AgentMode.ReadPcap"/>.</summary>
    public IReadOnlyList<string> LanPrefixes { get; init; } = [];

    public const string DefaultConfigPath = "/etc/camaraqos/agent.json";

    public static AgentCommandLine Parse(string[] args)
    {
        var mode = AgentMode.Run;
        var path = DefaultConfigPath;
        var rest = new List<string>();
        var (pcap, prefixes) = ((string?)null, new List<string>());
        var (document, leaf) = ((string?)null, "fq_codel");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cleanup":
                    mode = AgentMode.Cleanup;
                    break;
                case "--print-inventory":
                    mode = AgentMode.PrintInventory;
                    break;
                case "--read-pcap":
                    mode = AgentMode.ReadPcap;
                    pcap = i + 1 < args.Length ? args[++i] : null;
                    break;
                case "--render":
                    mode = AgentMode.Render;
                    document = i + 1 < args.Length ? args[++i] : null;
                    break;
                case "--leaf" when i + 1 < args.Length:
                    leaf = args[++i];
                    break;
                case "--lan-prefix" when i + 1 < args.Length:
                    prefixes.Add(args[++i]);
                    break;
                case "--config" when i + 1 < args.Length:
                    path = args[++i];
                    break;
                case var arg when arg.StartsWith("--config=", StringComparison.Ordinal):
                    path = arg["--config=".Length..];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        return new AgentCommandLine(mode, Path.GetFullPath(path), [.. rest]) { PcapPath = pcap, LanPrefixes = prefixes, DocumentPath = document, Leaf = leaf };
    }

    /// <summary>
    /// Puts the agent file (optional) below environment and command line: appsettings.json &lt; agent.json
    /// &lt; environment (<c>Agent__Id</c>) &lt; <c>--Agent:Id=</c> (docs/ARCHITECTURE.md §8).
    /// </summary>
    public void Layer(IConfigurationManager configuration)
    {
        var file = new JsonConfigurationSource
        {
            Path = Path.GetFileName(ConfigPath),
            Optional = true,
            ReloadOnChange = false,
            FileProvider = Directory.Exists(Path.GetDirectoryName(ConfigPath))
                ? new PhysicalFileProvider(Path.GetDirectoryName(ConfigPath)!)
                : new NullFileProvider(),
        };
        var sources = configuration.Sources;
        var firstEnvironment = sources.Select((s, i) => (s, i))
            .FirstOrDefault(p => p.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" }).i;
        sources.Insert(firstEnvironment > 0 ? firstEnvironment : sources.Count, file);
    }
}
