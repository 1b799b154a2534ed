using CamaraQos.Controller.HomeDevicesQod;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace CamaraQos.Controller.Tests.HomeDevicesQod;

public sealed class ServiceClassTests
{
    /// <summary>The spec's serviceClass table (RFC 4594 DSCP) and the UP RFC 8325 §4.3 gives each DSCP.</summary>
    [Theory]
    [InlineData("real_time_interactive", 32, 4)]
    [InlineData("multimedia_streaming", 26, 4)]
    [InlineData("broadcast_video", 24, 4)]
    [InlineData("low_latency_data", 18, 3)]
    [InlineData("high_throughput_data", 10, 0)]
    [InlineData("low_priority_data", 8, 1)]
    [InlineData("standard", 0, 0)]
    public void EachServiceClassHasTheSpecsDscpAndTheRfc8325UserPriority(string name, int dscp, int up)
    {
        var serviceClass = ServiceClass.Find(name);
        Assert.NotNull(serviceClass);
        Assert.Equal((dscp, up), (serviceClass.Dscp, serviceClass.WifiUserPriority));
    }

    [Fact]
    public void TheClassesAreExactlyTheSpecsEnum() => Assert.Equal(
        ["real_time_interactive", "multimedia_streaming", "broadcast_video", "low_latency_data", "high_throughput_data", "low_priority_data", "standard"],
        ServiceClass.All.Select(c => c.Name));

    [Theory]
    [InlineData("HomeDevicesQod:MaxDevicesPerHome", "0", "HomeDevicesQod:MaxDevicesPerHome")]
    [InlineData("HomeDevicesQod:ConfirmTimeoutMilliseconds", "0", "HomeDevicesQod:ConfirmTimeoutMilliseconds")]
    [InlineData("HomeDevicesQod:RequiredBands:gaming", "5GHz", "HomeDevicesQod:RequiredBands:gaming")]
    [InlineData("HomeDevicesQod:RequiredBands:standard", "5GHz", "HomeDevicesQod:RequiredBands:standard")]
    [InlineData("HomeDevicesQod:RequiredBands:broadcast_video", " ", "HomeDevicesQod:RequiredBands:broadcast_video")]
    public async Task AnInvalidSettingFailsTheStartNamingTheKey(string key, string value, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.AddHomeDevicesQod();
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
