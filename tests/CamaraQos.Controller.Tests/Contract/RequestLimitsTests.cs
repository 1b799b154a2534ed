using System.Text;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// Statuses the server produces itself (413, 414, 431) as ErrorInfo with the correlator. The limits are
/// the controller's own (RequestLimits), below Kestrel's; these clients skip the contract check because
/// no CAMARA spec lists these statuses.
/// </summary>
public sealed class RequestLimitsTests(HostileInputHost fixture) : IClassFixture<HostileInputHost>
{
    [Fact]
    public async Task ABodyOverTheLimitIsPayloadTooLargeWithTheCorrelator()
    {
        // The 1.2 MB body: 300,000 ports.
        var ports = string.Join(',', Enumerable.Repeat("443", 300_000));
        var body = $$"""{"device": {"phoneNumber": "+34600000001"}, "applicationServer": {"ipv4Address": "203.0.113.10"}, "applicationServerPorts": {"ports": [{{ports}}]}, "qosProfile": "QOS_E", "duration": 60}""";
        using var client = fixture.Host.CreateClient();
        using var request = Correlated(HttpMethod.Post, "/quality-on-demand/v1/sessions");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        await QodErrorTests.AssertErrorAsync(response, 413, "PAYLOAD_TOO_LARGE");
        Assert.Equal("limits-test", response.Headers.GetValues("x-correlator").Single());
    }

    [Fact]
    public async Task AUrlOverTheLimitIsUriTooLongWithTheCorrelator()
    {
        using var client = fixture.Host.CreateClient();
        using var request = Correlated(HttpMethod.Get, $"/quality-on-demand/v1/sessions/{Guid.Empty}?x={new string('a', 5000)}");

        var response = await client.SendAsync(request);

        await QodErrorTests.AssertErrorAsync(response, 414, "URI_TOO_LONG");
        Assert.Equal("limits-test", response.Headers.GetValues("x-correlator").Single());
    }

    [Fact]
    public async Task HeadersOverTheLimitAreRequestHeaderFieldsTooLargeWithTheCorrelator()
    {
        using var client = fixture.Host.CreateClient();
        using var request = Correlated(HttpMethod.Get, $"/quality-on-demand/v1/sessions/{Guid.Empty}");
        request.Headers.Add("x-padding", new string('a', 20_000));

        var response = await client.SendAsync(request);

        await QodErrorTests.AssertErrorAsync(response, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE");
        Assert.Equal("limits-test", response.Headers.GetValues("x-correlator").Single());
    }

    [Fact]
    public async Task ABodyJustUnderTheLimitIsStillRead()
    {
        using var client = await fixture.Host.ClientAsync();
        var padding = new string(' ', 60 * 1024);
        var response = await client.PostAsync("/qos-profiles/v1/retrieve-qos-profiles", new StringContent("{" + padding + "}", Encoding.UTF8, "application/json"));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Correlated(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-correlator", "limits-test");
        return request;
    }
}
