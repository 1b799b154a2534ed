using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProfiles;

/// <summary>The sandbox fleet online, so devices in retrieveQoSProfiles resolve as in every other API.</summary>
public sealed class QosProfilesDeviceHost : IAsyncLifetime
{
    public QodHost Host { get; } = new();
    public HttpClient TwoLegged { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        TwoLegged = await Host.ClientAsync();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>qos-profiles v1.1.0 with a device filter: a known device gets the catalogue, an unknown one 404.</summary>
public sealed class QosProfilesDeviceTests(QosProfilesDeviceHost fixture) : IClassFixture<QosProfilesDeviceHost>
{
    private const string Retrieve = "/qos-profiles/v1/retrieve-qos-profiles";

    [Theory]
    [InlineData("""{"phoneNumber": "+34600000001"}""")]
    [InlineData("""{"ipv4Address": {"publicAddress": "198.51.100.1", "privateAddress": "192.168.1.10"}}""")]
    [InlineData("""{"ipv4Address": {"publicAddress": "198.51.100.2", "publicPort": 59765}}""")]
    [InlineData("""{"ipv6Address": "2001:db8:1::10"}""")]
    [InlineData("""{"phoneNumber": "+34600000001", "networkAccessIdentifier": "user1@sandbox.example"}""")]
    public async Task RetrievingForAKnownDeviceWithATwoLeggedTokenReturnsTheProfiles(string device)
    {
        var response = await fixture.TwoLegged.PostAsync(Retrieve, Json($$"""{"device": {{device}}, "status": "ACTIVE"}"""), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(4, JsonNode.Parse(text)!.AsArray().Count);
    }

    /// <summary>Test plan retrieveQoSProfiles C01.03: compliant with the schema, but no device of ours.</summary>
    [Theory]
    [InlineData("""{"phoneNumber": "+34699999999"}""")]
    [InlineData("""{"ipv4Address": {"publicAddress": "192.0.2.200", "privateAddress": "192.168.1.10"}}""")]
    [InlineData("""{"ipv4Address": {"publicAddress": "198.51.100.1", "privateAddress": "10.9.9.9"}}""")]
    [InlineData("""{"ipv6Address": "2001:db8:ffff::1"}""")]
    public async Task RetrievingForADeviceNoGatewayServesIsIdentifierNotFound(string device)
    {
        var response = await fixture.TwoLegged.PostAsync(Retrieve, Json($$"""{"device": {{device}}}"""), TestContext.Current.CancellationToken);

        await QodErrorTests.AssertErrorAsync(response, 404, "IDENTIFIER_NOT_FOUND");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
