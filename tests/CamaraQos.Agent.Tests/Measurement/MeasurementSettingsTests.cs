using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Measurement;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>The measurement keys of the one agent configuration (<see cref="AgentSettings"/>).</summary>
public class MeasurementSettingsTests
{
    private static IConfiguration With(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agent:Id"] = "gw-1",
            ["Mqtt:Host"] = "10.213.100.1",
            ["Agent:WanInterface"] = "wan0",
            ["Agent:LanInterfaces"] = "lan0",
            ["Agent:UplinkKbps"] = "20000",
            ["Agent:DownlinkKbps"] = "100000",
        };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(all).Build();
    }

    [Fact]
    public void NoKeysGiveTheDocumentedDefaults()
    {
        var settings = AgentSettings.Load(With());
        var options = MeasurementOptions.From(settings);

        Assert.Equal((true, 4096, TimeSpan.FromSeconds(60)), (settings.Measurement, settings.FlowCapacity, settings.FlowIdle));
        Assert.Equal((4096, TimeSpan.FromSeconds(60)), (options.FlowCapacity, options.IdleTimeout));
    }

    [Theory]
    [InlineData("Agent:FlowCapacity", "0")]
    [InlineData("Agent:FlowCapacity", "many")]
    [InlineData("Agent:FlowIdleSeconds", "0")]
    [InlineData("Agent:Measurement", "sometimes")]
    public void ABadValueFailsNamingItsKey(string key, string value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentSettings.Load(With((key, value))));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void MeasurementCanBeSwitchedOff() =>
        Assert.False(AgentSettings.Load(With(("Agent:Measurement", "false"))).Measurement);
}
