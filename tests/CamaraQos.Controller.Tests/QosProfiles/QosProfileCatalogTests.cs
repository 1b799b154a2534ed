using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProfiles;

/// <summary>The <c>QosProfiles</c> configuration section: replacing the defaults and failing fast on mistakes.</summary>
public sealed class QosProfileCatalogTests
{
    private static readonly Dictionary<string, string?> Gold = new()
    {
        ["QosProfiles:0:Name"] = "gold",
        ["QosProfiles:0:Description"] = "Gold",
        ["QosProfiles:0:MaxDownstreamRate:Value"] = "500",
        ["QosProfiles:0:MaxDownstreamRate:Unit"] = "Mbps",
        ["QosProfiles:0:TargetMinDownstreamRate:Value"] = "100",
        ["QosProfiles:0:TargetMinDownstreamRate:Unit"] = "Mbps",
        ["QosProfiles:0:MinDuration:Value"] = "5",
        ["QosProfiles:0:MinDuration:Unit"] = "Minutes",
        ["QosProfiles:0:MaxDuration:Value"] = "2",
        ["QosProfiles:0:MaxDuration:Unit"] = "Hours",
        ["QosProfiles:0:Priority"] = "15",
        ["QosProfiles:0:Dscp"] = "CS4",
        ["QosProfiles:1:Name"] = "old.bronze",
        ["QosProfiles:1:Status"] = "INACTIVE",
        ["QosProfiles:1:MinDuration:Value"] = "1",
        ["QosProfiles:1:MinDuration:Unit"] = "Seconds",
        ["QosProfiles:1:MaxDuration:Value"] = "1",
        ["QosProfiles:1:MaxDuration:Unit"] = "Days",
        ["QosProfiles:1:Dscp"] = "10",
    };

    [Fact]
    public async Task ConfiguredProfilesReplaceTheDefaults()
    {
        await using var factory = Factory(Gold);
        using var client = Callers.Client(factory, "2-legged");

        var gold = await client.GetFromJsonAsync<JsonObject>("/qos-profiles/v1/qos-profiles/gold", TestContext.Current.CancellationToken);
        var inactive = await client.PostAsync("/qos-profiles/v1/retrieve-qos-profiles", Callers.Json("""{"status":"INACTIVE"}"""), TestContext.Current.CancellationToken);
        var qosE = await client.GetAsync("/qos-profiles/v1/qos-profiles/QOS_E", TestContext.Current.CancellationToken);

        Assert.Equal("""{"name":"gold","description":"Gold","status":"ACTIVE","targetMinDownstreamRate":{"value":100,"unit":"Mbps"},"maxDownstreamRate":{"value":500,"unit":"Mbps"},"minDuration":{"value":5,"unit":"Minutes"},"maxDuration":{"value":2,"unit":"Hours"},"priority":15}""", gold!.ToJsonString());
        Assert.Equal("old.bronze", (await inactive.Content.ReadFromJsonAsync<List<JsonObject>>(TestContext.Current.CancellationToken))!.Single()["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, qosE.StatusCode);
        var catalog = factory.Services.GetRequiredService<IQosProfileCatalog>();
        Assert.Equal((32, 10), (catalog.Find("gold")!.Dscp, catalog.Find("old.bronze")!.Dscp));
    }

    [Fact]
    public void WithNothingConfiguredTheDefaultsAreQosESMLWithTheirDscp()
    {
        using var factory = Factory([]);
        var catalog = factory.Services.GetRequiredService<IQosProfileCatalog>();

        Assert.Equal("QOS_E:46 QOS_L:34 QOS_M:26 QOS_S:18", string.Join(' ', catalog.All.Select(p => $"{p.Name}:{p.Dscp}")));
        Assert.All(catalog.All, p => Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)), (p.MinDuration.ToTimeSpan(), p.MaxDuration.ToTimeSpan())));
    }

    [Theory]
    [InlineData("QosProfiles:0:Name", "g", "QosProfiles:0:Name")]
    [InlineData("QosProfiles:0:Name", "gold star", "QosProfiles:0:Name")]
    [InlineData("QosProfiles:1:Name", "gold", "QosProfiles:1:Name 'gold' is configured twice")]
    [InlineData("QosProfiles:0:Status", "active", "QosProfiles:0:Status")]
    [InlineData("QosProfiles:0:MaxDownstreamRate:Unit", "mbps", "QosProfiles:0:MaxDownstreamRate:Unit")]
    [InlineData("QosProfiles:0:MaxDownstreamRate:Value", "2000", "QosProfiles:0:MaxDownstreamRate:Value")]
    [InlineData("QosProfiles:0:MaxDownstreamRate:Value", "50", "QosProfiles:0:TargetMinDownstreamRate must not exceed MaxDownstreamRate")]
    [InlineData("QosProfiles:0:MinDuration:Unit", "Fortnights", "QosProfiles:0:MinDuration:Unit")]
    [InlineData("QosProfiles:0:MinDuration:Value", "0", "QosProfiles:0:MinDuration:Value")]
    [InlineData("QosProfiles:0:MinDuration:Value", "200", "QosProfiles:0:MinDuration must not exceed QosProfiles:0:MaxDuration")]
    [InlineData("QosProfiles:0:MinDuration:Unit", "Days", "QosProfiles:0:MinDuration must not exceed QosProfiles:0:MaxDuration")]
    [InlineData("QosProfiles:0:Priority", "0", "QosProfiles:0:Priority")]
    [InlineData("QosProfiles:0:PacketErrorLossRate", "11", "QosProfiles:0:PacketErrorLossRate")]
    [InlineData("QosProfiles:0:Dscp", "AF51", "QosProfiles:0:Dscp")]
    [InlineData("QosProfiles:0:Dscp", "64", "QosProfiles:0:Dscp")]
    [InlineData("QosProfiles:0:Dscp", null, "QosProfiles:0:Dscp")]
    [InlineData("QosProfiles:0:Priority", "high", "QosProfiles:0:Priority")]
    public async Task AnInvalidProfileFailsTheStartNamingTheKey(string key, string? value, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(Gold);
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.AddQosProfiles();
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EF", 46)]
    [InlineData("ef", 46)]
    [InlineData("AF41", 34)]
    [InlineData("AF11", 10)]
    [InlineData("AF43", 38)]
    [InlineData("CS1", 8)]
    [InlineData("CS7", 56)]
    [InlineData("DF", 0)]
    [InlineData("63", 63)]
    [InlineData("64", null)]
    [InlineData("-1", null)]
    [InlineData("AF14", null)]
    [InlineData("CS8", null)]
    [InlineData("", null)]
    public void DscpIsANameOrANumberFrom0To63(string text, int? expected) =>
        Assert.Equal(expected, QosProfileValidation.ParseDscp(text));

    private static ControllerFactory Factory(Dictionary<string, string?> settings)
    {
        var factory = new ControllerFactory();
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }

}
