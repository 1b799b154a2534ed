using CamaraQos.Agent.Control;
using CamaraQos.Agent.Measurement;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

public class MeasurementSettingsTests
{
    private static IConfiguration With(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void NoKeysGiveTheDocumentedDefaults()
    {
        var settings = MeasurementSettings.Load(With());

        Assert.Equal(new MeasurementSettings(true, 4096, TimeSpan.FromSeconds(60)), settings);
        Assert.Equal((4096, TimeSpan.FromSeconds(60)), (settings.Options.FlowCapacity, settings.Options.IdleTimeout));
    }

    [Theory]
    [InlineData("Agent:FlowCapacity", "0")]
    [InlineData("Agent:FlowCapacity", "many")]
    [InlineData("Agent:FlowIdleSeconds", "0")]
    [InlineData("Agent:Measurement", "sometimes")]
    public void ABadValueFailsNamingItsKey(string key, string value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => MeasurementSettings.Load(With((key, value))));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void MeasurementCanBeSwitchedOff() =>
        Assert.False(MeasurementSettings.Load(With(("Agent:Measurement", "false"))).Enabled);
}
