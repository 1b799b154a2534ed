using CamaraQos.Agent;
using CamaraQos.Agent.Configuration;
using Microsoft.Extensions.Logging.Console;

// The agent: Control (MQTT) → Enforcement (nftables + tc), Measurement (capture → telemetry), with the kernel's
// view from Native, one validated Configuration and the Liveness watchdog (docs/ARCHITECTURE.md §6). The
// composition is AgentCommands; no feature folder composes another.
var commandLine = AgentCommandLine.Parse(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = commandLine.ConfigurationArgs,
    ContentRootPath = AppContext.BaseDirectory,
});
commandLine.Layer(builder.Configuration);
builder.Services.AddSystemd();
builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
try
{
    return commandLine.Mode switch
    {
        AgentMode.ReadPcap => AgentCommands.ReadPcap(commandLine),
        AgentMode.Render => AgentCommands.Render(commandLine, builder.Configuration),
        AgentMode.PrintInventory => AgentCommands.PrintInventory(builder.Configuration),
        AgentMode.Cleanup => await AgentCommands.CleanupAsync(builder),
        _ => await AgentCommands.RunAsync(builder),
    };
}
catch (AgentConfigurationException e)
{
    Console.Error.WriteLine($"camaraqos-agent: configuration error: {e.Message}");
    return 2;
}
