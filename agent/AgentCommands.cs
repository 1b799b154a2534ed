using System.Text.Json;
using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Control;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Liveness;
using CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent;

/// <summary>
/// The composition root: what each <see cref="AgentMode"/> does once configuration is layered. The settings are
/// read and validated here, once, and handed to every feature; no feature folder composes another.
/// </summary>
public static class AgentCommands
{
    public static async Task<int> RunAsync(HostApplicationBuilder builder)
    {
        var settings = AgentSettings.Load(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(sp => new AgentIdentity(settings.AgentId, BootCounter.Next(settings.StateDirectory,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootCounter)))));
        builder.Services.AddWatchdog();
        builder.Services.AddEnforcement(settings);
        builder.Services.AddControl(settings);
        builder.Services.AddMeasurement(settings);
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }

    /// <summary>Removes our kernel state; needs only the interface keys (<see cref="AgentSettings.LoadNetwork"/>).</summary>
    public static async Task<int> CleanupAsync(HostApplicationBuilder builder)
    {
        var settings = AgentSettings.LoadNetwork(builder.Configuration);
        // Nothing is announced: the epoch of the last run (if any) serves, the counter is not raised.
        builder.Services.AddSingleton(new AgentIdentity(settings.AgentId, BootCounter.Current(settings.StateDirectory) ?? 0));
        builder.Services.AddEnforcement(settings);
        using var host = builder.Build();
        await host.Services.GetRequiredService<IEnforcer>().CleanupAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>Replays a capture file through the measurement engine (no host, no configuration needed).</summary>
    public static int ReadPcap(AgentCommandLine commandLine)
    {
        if (commandLine.PcapPath is not { Length: > 0 } path)
        {
            Console.Error.WriteLine("camaraqos-agent: --read-pcap needs a file: --read-pcap FILE [--lan-prefix CIDR]");
            return 2;
        }
        return PcapReplay.Run(path, commandLine.LanPrefixes, Console.Out, Console.Error);
    }

    /// <summary>
    /// A dry run of the kernel side: reads a desired document as the broker would deliver it, checks it as the
    /// agent does and prints the nft transaction and tc commands it becomes, touching no kernel. For a network
    /// engineer checking a document, and for the arm64 smoke run under qemu (no netlink there).
    /// </summary>
    public static int Render(AgentCommandLine commandLine, IConfiguration configuration)
    {
        if (commandLine.DocumentPath is not { Length: > 0 } path)
        {
            Console.Error.WriteLine("camaraqos-agent: --render needs a file: --render FILE [--leaf fq_codel|cake|bfifo]");
            return 2;
        }
        if (!DocumentRendering.LeafKinds.Contains(commandLine.Leaf))
        {
            Console.Error.WriteLine($"camaraqos-agent: --leaf must be one of {string.Join(", ", DocumentRendering.LeafKinds)}");
            return 2;
        }
        byte[] payload;
        try
        {
            payload = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"camaraqos-agent: cannot read {path}: {e.Message}");
            return 2;
        }
        var options = EnforcementOptions.From(AgentSettings.LoadEnforcement(configuration));
        return DocumentRendering.Run(payload, options, commandLine.Leaf, DateTimeOffset.UtcNow, Console.Out, Console.Error);
    }

    /// <summary>
    /// Prints the birth this gateway would announce, read from the calling process's network namespace:
    /// handy by hand (<c>ip netns exec cqc-gw camaraqos-agent --print-inventory</c>). The epoch is the running
    /// agent's (the counter in the state directory), not raised.
    /// </summary>
    public static int PrintInventory(IConfiguration configuration)
    {
        var settings = AgentSettings.LoadNetwork(configuration);
        NetworkSnapshot snapshot;
        try
        {
            snapshot = NetworkReader.Read(settings.WanInterface, settings.LanInterfaces);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"camaraqos-agent: cannot read the network: {e.Message}");
            return 1;
        }
        var boot = new AgentBoot(BootCounter.Current(settings.StateDirectory) ?? 0, AgentBoot.Version);
        var status = AgentMessages.Birth(settings, boot, null, snapshot, DateTimeOffset.UtcNow);
        Console.WriteLine(JsonSerializer.Serialize(status, ContractJson.Default.AgentStatus));
        return 0;
    }
}
