using System.Text.Json;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CamaraQos.Agent.Control;

/// <summary>What each <see cref="AgentMode"/> does once configuration is layered.</summary>
public static class AgentCommands
{
    public static async Task<int> RunAsync(HostApplicationBuilder builder)
    {
        var settings = AgentSettings.Load(builder.Configuration);
        var measurement = MeasurementSettings.Load(builder.Configuration);
        builder.Services.AddEnforcement(builder.Configuration);
        builder.Services.AddControl(settings);
        builder.Services.AddMeasurement(measurement);
        using var host = builder.Build();
        ValidateOptions(host);
        await host.RunAsync();
        return 0;
    }

    public static async Task<int> CleanupAsync(HostApplicationBuilder builder)
    {
        builder.Services.AddEnforcement(builder.Configuration);
        using var host = builder.Build();
        ValidateOptions(host);
        await host.Services.GetRequiredService<IEnforcer>().CleanupAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>
    /// Runs every ValidateOnStart check before the host starts, so a bad value ends in one line naming the
    /// key (Program.cs) instead of the host's "Hosting failed to start" log with a stack trace.
    /// </summary>
    private static void ValidateOptions(IHost host) => host.Services.GetService<IStartupValidator>()?.Validate();

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
    /// Prints the birth this gateway would announce, read from the calling process's network namespace:
    /// handy by hand (<c>ip netns exec cqc-gw camaraqos-agent --print-inventory</c>).
    /// </summary>
    public static int PrintInventory(IConfiguration configuration)
    {
        var settings = AgentSettings.LoadNetwork(configuration) with
        {
            AgentId = configuration["Agent:Id"] is { Length: > 0 } id ? id : Environment.MachineName,
        };
        var snapshot = NetworkReader.Read(settings.WanInterface, settings.LanInterfaces);
        var status = AgentMessages.Birth(settings, new AgentBoot(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), AgentBoot.Version), null, snapshot, DateTimeOffset.UtcNow);
        Console.WriteLine(JsonSerializer.Serialize(status, ContractJson.Default.AgentStatus));
        return 0;
    }
}
