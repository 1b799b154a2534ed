using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>Regression tests for issue 14's findings of invalid input accepted with a 2xx.</summary>
public sealed class StrictInputTests(HostileInputHost fixture) : IClassFixture<HostileInputHost>
{
    [Theory]
    [InlineData("203.0.113.10", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("01.02.03.04", false)]
    [InlineData("192.168.001.010", false)]
    [InlineData("127.1", false)]
    [InlineData("2130706433", false)]
    [InlineData("1.2.3.4 ", false)]
    [InlineData("256.0.0.1", false)]
    [InlineData("１.２.３.４", false)]
    public void IPv4IsDottedDecimalWithoutLeadingZeros(string text, bool valid) => Assert.Equal(valid, IpSyntax.IsIpv4(text));

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("::", true)]
    [InlineData("::ffff:192.0.2.1", true)]
    [InlineData("::1%eth0", false)]
    [InlineData("[::1]", false)]
    [InlineData("::ffff:01.2.3.4", false)]
    [InlineData("1::2::3", false)]
    [InlineData("192.0.2.1", false)]
    public void IPv6IsRfc4291TextWithoutZoneOrBrackets(string text, bool valid) => Assert.Equal(valid, IpSyntax.IsIpv6(text));

    [Theory]
    [InlineData("203.0.113.0/24", true)]
    [InlineData("203.0.113.0/08", false)]
    [InlineData("203.0.113.0/+8", false)]
    [InlineData("203.0.113.0/33", false)]
    public void APrefixLengthIsAPlainDecimalWithinTheFamily(string text, bool valid) =>
        Assert.Equal(valid, IpSyntax.IsPrefix(text, AddressFamily.InterNetwork));

    /// <summary>"192.168.001.010 is a valid QoD device address and an invalid Home Devices one": now invalid in both.</summary>
    [Theory]
    [InlineData("0x7f.0.0.1")]
    [InlineData("01.02.03.04")]
    [InlineData("192.168.001.010")]
    public async Task ANonCanonicalIpv4IsRefusedByQodAndHomeDevicesAlike(string address)
    {
        var qod = $$"""{"device": {"ipv4Address": {"publicAddress": "{{address}}", "publicPort": 5000} }, "applicationServer": {"ipv4Address": "203.0.113.10"}, "qosProfile": "QOS_E", "duration": 60}""";
        var server = $$"""{"device": {"phoneNumber": "+34600000001"}, "applicationServer": {"ipv4Address": "{{address}}"}, "qosProfile": "QOS_E", "duration": 60}""";

        await QodErrorTests.AssertErrorAsync(await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(qod)), 400, "INVALID_ARGUMENT");
        await QodErrorTests.AssertErrorAsync(await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(server)), 400, "INVALID_ARGUMENT");
        Assert.False(IpSyntax.IsIpv4(address));
    }

    [Theory]
    [InlineData("..%2f..%2fetc%2fpasswd")]
    [InlineData("a%20b")]
    [InlineData(".hidden")]
    public async Task AnAdminSubscriberIdOutsideItsPatternIsRefused(string id)
    {
        var put = await fixture.Admin.PutAsync($"/admin/v1/subscribers/{id}", Json("""{"phoneNumbers": ["+34611111199"], "agentId": "sandbox-gw-1"}"""));
        var get = await fixture.Admin.GetAsync($"/admin/v1/subscribers/{id}");

        await QodErrorTests.AssertErrorAsync(put, 400, "INVALID_ARGUMENT");
        await QodErrorTests.AssertErrorAsync(get, 400, "INVALID_ARGUMENT");
    }

    /// <summary>"A 1.2 MB body with 300,000 ports is accepted": over the body limit it is 413, and within it more than 100 entries are 400.</summary>
    [Fact]
    public async Task MorePortsThanTheDocumentedLimitNeverReachAGateway()
    {
        static string Session(int ports) =>
            $$"""{"device": {"phoneNumber": "+34600000001"}, "applicationServer": {"ipv4Address": "203.0.113.10"}, "applicationServerPorts": {"ports": [{{string.Join(',', Enumerable.Range(1, ports))}}]}, "qosProfile": "QOS_E", "duration": 60}""";

        // 413 is not among the spec's documented statuses, so not through the contract-checking client.
        using var raw = fixture.Host.CreateClient();
        raw.DefaultRequestHeaders.Authorization = fixture.Client.DefaultRequestHeaders.Authorization;
        await QodErrorTests.AssertErrorAsync(await raw.PostAsync("/quality-on-demand/v1/sessions", Json(Session(300_000))), 413, "PAYLOAD_TOO_LARGE");
        await QodErrorTests.AssertErrorAsync(await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(Session(ListLimits.MaxPortEntries + 1))), 400, "INVALID_ARGUMENT");
    }

    [Theory]
    [InlineData("ipport:198.51.100.01")]
    [InlineData("ipport:0306.51.100.1")]
    [InlineData("ipport:[198.51.100.1]:80")]
    public async Task ACibaLoginHintWithANonCanonicalAddressNamesNoSubscriber(string hint)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/bc-authorize")
        {
            Content = new FormUrlEncodedContent([new("login_hint", hint), new("scope", "openid")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-client:sandbox-secret"u8.ToArray()));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown_user_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/x-www-form-urlencoded; charset=x-unknown")]
    public async Task TheTokenEndpointTakesOnlyUtf8FormBodies(string contentType)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = new ByteArrayContent("grant_type=client_credentials"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-client:sandbox-secret"u8.ToArray()));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
