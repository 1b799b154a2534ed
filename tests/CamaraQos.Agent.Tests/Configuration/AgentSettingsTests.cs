using CamaraQos.Agent.Configuration;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CamaraQos.Agent.Tests.Configuration;

public class AgentSettingsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Agent:Id"] = "gw-1",
        ["Agent:Password"] = "secret",
        ["Mqtt:Host"] = "10.213.100.1",
        ["Agent:WanInterface"] = "wan0",
        ["Agent:LanInterfaces"] = "lan0, lan1",
        ["Agent:UplinkKbps"] = "20000",
        ["Agent:DownlinkKbps"] = "100000",
    };

    private static IConfiguration With(string key, string? value)
    {
        var values = new Dictionary<string, string?>(Valid) { [key] = value };
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    [Fact]
    public void AValidConfigurationLoadsWithTheDocumentedDefaults()
    {
        var settings = AgentSettings.Load(With("Agent:Password", "secret"));

        Assert.Equal(["lan0", "lan1"], settings.LanInterfaces);
        Assert.Equal(1883, settings.MqttPort);
        Assert.Equal("/var/lib/camaraqos", settings.StateDirectory);
        Assert.Equal(10, settings.TelemetryIntervalSeconds);
        Assert.Equal((1_048_576, 4096), (settings.MaxDocumentBytes, settings.MaxPolicies));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.InventoryPollInterval);
    }

    [Fact]
    public void TlsChangesTheDefaultPortTo8883() =>
        Assert.Equal(8883, AgentSettings.Load(With("Mqtt:UseTls", "true")).MqttPort);

    [Theory]
    [InlineData("Agent:Id", null)]
    [InlineData("Agent:Id", "gw/1")]
    [InlineData("Mqtt:Host", "")]
    [InlineData("Mqtt:Port", "70000")]
    [InlineData("Mqtt:Port", "abc")]
    [InlineData("Mqtt:UseTls", "yes")]
    [InlineData("Agent:WanInterface", "a-name-longer-than-15")]
    [InlineData("Agent:LanInterfaces", "wan0")]
    [InlineData("Agent:LanInterfaces", " , ")]
    [InlineData("Agent:UplinkKbps", null)]
    [InlineData("Agent:DownlinkKbps", "-5")]
    [InlineData("Agent:TelemetryIntervalSeconds", "0")]
    [InlineData("Mqtt:ReconnectMinimumSeconds", "x")]
    // The keys Enforcement read with its own rules before there was one configuration; where the two rules
    // differed, the stricter one stands (interface names: only A-Z a-z 0-9 _ . @ -; capacities: 8 kbit/s at least).
    [InlineData("Agent:UplinkKbps", "fast")]
    [InlineData("Agent:UplinkKbps", "4")]
    [InlineData("Agent:DownlinkKbps", "0")]
    [InlineData("Agent:WanInterface", "wan 0")]
    [InlineData("Agent:WanInterface", "wan+0")]
    [InlineData("Agent:LanInterfaces", "")]
    [InlineData("Agent:LanInterfaces", "lan0, lan0")]
    [InlineData("Agent:LanInterfaces", "lan0, br:lan")]
    [InlineData("Agent:StateDirectory", "   ")]
    [InlineData("Agent:MaxPolicies", "-1")]
    [InlineData("Agent:MaxDocumentBytes", "many")]
    [InlineData("Agent:InventoryPollSeconds", "0")]
    public void ABadValueFailsWithAMessageNamingTheKey(string key, string? value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentSettings.Load(With(key, value)));

        Assert.Equal(key, error.Key);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOneShotCommandsNeedOnlyTheInterfaceKeys()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:WanInterface"] = "wan0",
            ["Agent:LanInterfaces"] = "lan0",
            ["Agent:UplinkKbps"] = "broken",
        }).Build();

        var settings = AgentSettings.LoadNetwork(config);

        Assert.Equal("wan0", settings.WanInterface);
        Assert.Equal(["lan0"], settings.LanInterfaces);
        Assert.Equal(Environment.MachineName, settings.AgentId);
    }

    [Fact]
    public void CommandLineTakesTheAgentSwitchesOutAndKeepsTheRest()
    {
        var line = AgentCommandLine.Parse(["--print-inventory", "--config", "/tmp/x/agent.json", "--Agent:Id=gw-9"]);

        Assert.Equal(AgentMode.PrintInventory, line.Mode);
        Assert.Equal("/tmp/x/agent.json", line.ConfigPath);
        Assert.Equal(["--Agent:Id=gw-9"], line.ConfigurationArgs);
    }

    [Fact]
    public void TheAgentFileSitsBelowEnvironmentAndCommandLine()
    {
        var dir = Directory.CreateTempSubdirectory("cqc-config-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "agent.json"),
                """{"Agent": {"Id": "from-file", "WanInterface": "wan-file", "LanInterfaces": "lan-file"}}""");
            var line = AgentCommandLine.Parse(["--config", Path.Combine(dir.FullName, "agent.json"), "--Agent:Id=from-args"]);
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(line.ConfigurationArgs);

            line.Layer(builder.Configuration);

            Assert.Equal("from-args", builder.Configuration["Agent:Id"]);
            Assert.Equal("wan-file", builder.Configuration["Agent:WanInterface"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("30000000", null, 15)]
    [InlineData("30000000", "4242", 15)]
    [InlineData("30000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("0", null, null)]
    public void TheWatchdogPingsAtHalfTheIntervalSystemdAsksFor(string? usec, string? pid, int? expectedSeconds) =>
        Assert.Equal(expectedSeconds is { } s ? TimeSpan.FromSeconds(s) : null, WatchdogInterval.Parse(usec, pid, 4242));
}
