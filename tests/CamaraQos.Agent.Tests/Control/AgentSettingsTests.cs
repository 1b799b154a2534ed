using CamaraQos.Agent.Control;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CamaraQos.Agent.Tests.Control;

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
    public void ABadValueFailsWithAMessageNamingTheKey(string key, string? value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentSettings.Load(With(key, value)));

        Assert.Equal(key, error.Key);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
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
