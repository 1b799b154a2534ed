using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.ApplicationProfiles;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Controller.Tests.Telemetry;
using CamaraQos.Controller.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.ConnectivityInsights;

/// <summary>check-network-quality over telemetry a sandbox gateway publishes; responses checked against the YAML.</summary>
public sealed class CheckNetworkQualityTests : IAsyncLifetime
{
    public const string Path = "/connectivity-insights/v0.6/check-network-quality";
    private const string M = "meets the application requirements";
    private const string U = "unable to meet the application requirements";
    private readonly QodHost _host = new();
    private HttpClient _client = null!;
    private Guid _profile;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        _client = await _host.ClientAsync();
        _profile = await ApplicationProfilesTests.CreateAsync(_client, ApplicationProfilesTests.Gaming);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<JsonElement> CheckAsync(object body, HttpClient? client = null)
    {
        var response = await (client ?? _client).PostAsJsonAsync(Path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json;
    }

    private object Body(string server = "203.0.113.10", string? at = null) => new
    {
        applicationProfileId = _profile,
        device = new { phoneNumber = "+34600000001" },
        applicationServer = new { ipv4Address = server },
        applicationServerPorts = new { ports = new[] { 443 } },
        monitoringTimeStamp = at,
    };

    [Fact]
    public async Task AGoodFlowMeetsEveryThresholdAndABadOneDoesNot()
    {
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1", Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 20, downKbps: 12_000, upKbps: 3_000));
        var good = await CheckAsync(Body());
        Assert.Equal(M, good.GetProperty("packetDelayBudget").GetString());
        Assert.Equal(M, good.GetProperty("jitter").GetString());
        Assert.Equal(M, good.GetProperty("packetlossErrorRate").GetString());
        Assert.Equal(M, good.GetProperty("targetMinDownstreamRate").GetString());
        Assert.Equal(M, good.GetProperty("targetMinUpstreamRate").GetString());
        Assert.Equal("""{"phoneNumber":"+34600000001"}""", good.GetProperty("device").GetRawText());
        Assert.False(good.TryGetProperty("additionalKPIs", out _));

        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1",
            Reports.Flow("192.168.1.10", "203.0.113.10", wanP95: 200, jitter: 40, retransmissions: 500, downKbps: 2_000, upKbps: 3_000));
        var bad = await CheckAsync(Body());
        Assert.Equal(U, bad.GetProperty("packetDelayBudget").GetString());
        Assert.Equal(U, bad.GetProperty("jitter").GetString());
        Assert.Equal(U, bad.GetProperty("packetlossErrorRate").GetString());
        Assert.Equal(U, bad.GetProperty("targetMinDownstreamRate").GetString());
        Assert.Equal(M, bad.GetProperty("targetMinUpstreamRate").GetString());
    }

    [Fact]
    public async Task WithoutTelemetryForTheFlowNothingIsClaimed()
    {
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1", Reports.Flow("192.168.1.10", "203.0.113.10"));
        var answer = await CheckAsync(Body(server: "198.18.0.1"));
        Assert.Equal(["device"], answer.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ThinEvidenceLeavesOnlyThoseThresholdsOut()
    {
        // Two RTT samples each way (the judge wants five): latency and jitter cannot be judged; throughput and loss can.
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-2", Reports.Flow("192.168.1.10", "203.0.113.20", samples: 2));
        var answer = await CheckAsync(new
        {
            applicationProfileId = _profile,
            device = new { phoneNumber = "+34600000002" },
            applicationServer = new { ipv4Address = "203.0.113.0/24" },
        });
        Assert.False(answer.TryGetProperty("packetDelayBudget", out _));
        Assert.False(answer.TryGetProperty("jitter", out _));
        Assert.Equal(M, answer.GetProperty("packetlossErrorRate").GetString());
        Assert.Equal(M, answer.GetProperty("targetMinDownstreamRate").GetString());
    }

    [Fact]
    public async Task WithoutAnApplicationServerTheWholeDeviceIsJudged()
    {
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1", Reports.Flow("192.168.1.10", "198.51.100.200", wanP95: 300));
        var answer = await CheckAsync(new { applicationProfileId = _profile, device = new { phoneNumber = "+34600000001" } });
        Assert.Equal(U, answer.GetProperty("packetDelayBudget").GetString());
    }

    [Fact]
    public async Task AThreeLeggedTokenChecksItsSubscribersDeviceWithoutEchoingIt()
    {
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1", Reports.Flow("192.168.1.10", "203.0.113.10"));
        using var threeLegged = await _host.ThreeLeggedClientAsync("tel:+34600000001");
        var answer = await CheckAsync(new { applicationProfileId = _profile, applicationServer = new { ipv4Address = "203.0.113.10" } }, threeLegged);
        Assert.False(answer.TryGetProperty("device", out _));
        Assert.Equal(M, answer.GetProperty("packetDelayBudget").GetString());
    }

    [Fact]
    public async Task AMonitoringTimeBeforeTheTelemetryJudgesTheWindowThenAndFindsNothing()
    {
        await FleetTelemetry.PublishAsync(_host, "sandbox-gw-1", Reports.Flow("192.168.1.10", "203.0.113.10"));
        var earlier = await CheckAsync(Body(at: DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(earlier.TryGetProperty("packetDelayBudget", out _));
        var now = await CheckAsync(Body(at: DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(M, now.GetProperty("packetDelayBudget").GetString());
    }
}

/// <summary>The sandbox's own gateways publish telemetry, so a newcomer's first check gets an answer.</summary>
public sealed class SandboxTelemetryTests
{
    [Fact]
    public async Task ACheckAgainstTheTourServerIsAnsweredFromTheSandboxGatewaysTelemetry()
    {
        await using var host = new QodHost(settings: new Dictionary<string, string?> { ["Sandbox:TelemetryIntervalSeconds"] = "1" });
        await host.FleetOnlineAsync("sandbox-gw-1");
        var client = await host.ClientAsync();
        var profile = await ApplicationProfilesTests.CreateAsync(client, ApplicationProfilesTests.Gaming);
        var store = host.Services.GetRequiredService<TelemetryStore>();
        await Eventually.TrueAsync(() => store.Recent("sandbox-gw-1").Count > 0, "sandbox telemetry");
        var response = await client.PostAsJsonAsync(CheckNetworkQualityTests.Path, new
        {
            applicationProfileId = profile,
            device = new { phoneNumber = "+34600000001" },
            applicationServer = new { ipv4Address = "203.0.113.10" },
        });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("meets the application requirements", answer.GetProperty("packetDelayBudget").GetString());
        Assert.Equal("meets the application requirements", answer.GetProperty("targetMinDownstreamRate").GetString());
    }
}
