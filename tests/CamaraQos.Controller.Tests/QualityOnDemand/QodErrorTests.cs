using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

/// <summary>One shared controller for the error tables: a rejected request changes nothing.</summary>
public sealed class QodErrorHost : IAsyncLifetime
{
    public QodHost Host { get; } = new(settings: new Dictionary<string, string?> { ["Notifications:AllowHttpSinks"] = "false", ["Notifications:AllowPrivateSinks"] = "false" });
    public HttpClient TwoLegged { get; private set; } = null!;
    public HttpClient ThreeLegged { get; private set; } = null!;
    public HttpClient ReadOnly { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        TwoLegged = await Host.ClientAsync();
        ThreeLegged = await Host.ThreeLeggedClientAsync("tel:+34600000001");
        ReadOnly = await Host.ClientAsync("sandbox-readonly", "sandbox-readonly-secret");
        using var admin = await Host.ClientAsync("sandbox-admin", "sandbox-admin-secret");
        // A subscriber whose gateway has never connected.
        (await admin.PutAsJsonAsync("/admin/v1/subscribers/ghost", new { phoneNumbers = new[] { "+34611111111" }, agentId = "gw-never-seen", deviceMac = "02:00:00:00:09:09" })).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

public sealed class QodErrorTests(QodErrorHost fixture) : IClassFixture<QodErrorHost>
{
    private const string Server = """ "applicationServer": {"ipv4Address": "203.0.113.10"} """;
    private const string Phone = """ "device": {"phoneNumber": "+34600000001"} """;

    public static TheoryData<string, string, int, string> CreateErrors => new()
    {
        { "2", "{" + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 422, "MISSING_IDENTIFIER" },
        { "3", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 422, "UNNECESSARY_IDENTIFIER" },
        { "2", "{\"device\": {\"networkAccessIdentifier\": \"user1@sandbox.example\"}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 422, "UNSUPPORTED_IDENTIFIER" },
        { "2", "{\"device\": {\"phoneNumber\": \"+34699999999\"}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{\"device\": {\"ipv4Address\": {\"publicAddress\": \"192.0.2.200\", \"privateAddress\": \"192.168.1.10\"}}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{\"device\": {\"ipv4Address\": {\"publicAddress\": \"198.51.100.1\", \"privateAddress\": \"10.9.9.9\"}}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{\"device\": {\"ipv6Address\": \"2001:db8:ffff::1\"}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{\"device\": {\"phoneNumber\": \"+34611111111\"}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 422, "SERVICE_NOT_APPLICABLE" },
        { "2", "{\"device\": {\"phoneNumber\": \"0034600000001\"}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {\"ipv4Address\": {\"publicAddress\": \"198.51.100.1\"}}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {}," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"applicationServer\": {}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"applicationServer\": {\"ipv4Address\": \"300.1.1.1\"}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"applicationServer\": {\"ipv4Address\": \"203.0.113.0/33\"}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"applicationServer\": {\"ipv6Address\": \"203.0.113.1\"}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"devicePorts\": {}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"devicePorts\": {\"ports\": [70000]}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"applicationServerPorts\": {\"ranges\": [{\"from\": 6000, \"to\": 5000}]}, \"qosProfile\": \"QOS_E\", \"duration\": 60}", 400, "OUT_OF_RANGE" },
        { "2", "{" + Phone + "," + Server + ", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"Q\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_NOPE\", \"duration\": 60}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 0}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": \"sixty\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": \"60\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"https://sink.example.com/n\", \"sinkCredential\": {\"credentialType\": \"ACCESSTOKEN\", \"accessToken\": \"t\", \"accessTokenExpiresUtc\": \"2099-01-01T00:00:00\", \"accessTokenType\": \"bearer\"}}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 2000000000}", 400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"http://sink.example.com/n\"}", 400, "INVALID_SINK" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"https://127.0.0.1/n\"}", 400, "INVALID_SINK" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"https://sink.example.com/n\", \"sinkCredential\": {\"credentialType\": \"PLAIN\", \"identifier\": \"a\", \"secret\": \"b\"}}", 400, "INVALID_CREDENTIAL" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"https://sink.example.com/n\", \"sinkCredential\": {\"credentialType\": \"REFRESHTOKEN\"}}", 400, "INVALID_CREDENTIAL" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60, \"sink\": \"https://sink.example.com/n\", \"sinkCredential\": {\"credentialType\": \"ACCESSTOKEN\", \"accessToken\": \"t\", \"accessTokenExpiresUtc\": \"2099-01-01T00:00:00Z\", \"accessTokenType\": \"mac\"}}", 400, "INVALID_TOKEN" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60", 400, "INVALID_ARGUMENT" },
        { "r", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 403, "PERMISSION_DENIED" },
        { "-", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_E\", \"duration\": 60}", 401, "UNAUTHENTICATED" },
    };

    [Theory]
    [MemberData(nameof(CreateErrors))]
    public async Task CreatingASessionWithABadRequestReturnsTheSpecCodeAndStoresNothing(string token, string body, int status, string code)
    {
        var before = await CountSessionsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/quality-on-demand/v1/sessions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await ClientFor(token).SendAsync(request);
        await AssertErrorAsync(response, status, code);
        Assert.Equal(before, await CountSessionsAsync());
    }

    public static TheoryData<string, string, string?, int, string> OtherErrors => new()
    {
        { "GET", "/quality-on-demand/v1/sessions/not-a-uuid", null, 400, "INVALID_ARGUMENT" },
        { "GET", $"/quality-on-demand/v1/sessions/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "GET", $"/quality-on-demand/v1/sessions/%7B{Guid.Empty}%7D", null, 400, "INVALID_ARGUMENT" },
        { "GET", $"/quality-on-demand/v1/sessions/{Guid.Empty:N}", null, 400, "INVALID_ARGUMENT" },
        { "DELETE", $"/quality-on-demand/v1/sessions/%7B{Guid.Empty}%7D", null, 400, "INVALID_ARGUMENT" },
        { "DELETE", "/quality-on-demand/v1/sessions/123", null, 400, "INVALID_ARGUMENT" },
        { "DELETE", $"/quality-on-demand/v1/sessions/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "POST", $"/quality-on-demand/v1/sessions/{Guid.Empty}/extend", """{"requestedAdditionalDuration": 10}""", 404, "NOT_FOUND" },
        { "POST", "/quality-on-demand/v1/sessions/xyz/extend", """{"requestedAdditionalDuration": 10}""", 400, "INVALID_ARGUMENT" },
        { "POST", "/quality-on-demand/v1/retrieve-sessions", "{}", 422, "MISSING_IDENTIFIER" },
        { "POST", "/quality-on-demand/v1/retrieve-sessions", """{"device": {"phoneNumber": "+34699999999"}}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "POST", "/quality-on-demand/v1/retrieve-sessions", """{"device": {"networkAccessIdentifier": "a@b.c"}}""", 422, "UNSUPPORTED_IDENTIFIER" },
        { "PUT", "/quality-on-demand/v1/sessions", "{}", 405, "METHOD_NOT_ALLOWED" },
        { "GET", "/quality-on-demand/v1/no-such-path", null, 404, "NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(OtherErrors))]
    public async Task ReadingExtendingDeletingAndRetrievingWithABadRequestReturnsTheSpecCode(string method, string path, string? body, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        await AssertErrorAsync(await fixture.TwoLegged.SendAsync(request), status, code);
    }

    [Fact]
    public async Task ExtendingWithoutAPositiveDurationIsInvalid()
    {
        var created = await fixture.TwoLegged.PostAsJsonAsync("/quality-on-demand/v1/sessions", SessionLifecycleTests.Body(phone: "+34600000002", server: "203.0.113.77"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString();
        await AssertErrorAsync(await fixture.TwoLegged.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{id}/extend", new { requestedAdditionalDuration = 0 }), 400, "INVALID_ARGUMENT");
        await AssertErrorAsync(await fixture.TwoLegged.PostAsJsonAsync($"/quality-on-demand/v1/sessions/{id}/extend", new { }), 400, "INVALID_ARGUMENT");
        await fixture.TwoLegged.DeleteAsync($"/quality-on-demand/v1/sessions/{id}");
    }

    [Fact]
    public async Task AThreeLeggedTokenCreatesTheSessionForItsSubscribersDevice()
    {
        var created = await fixture.ThreeLegged.PostAsJsonAsync("/quality-on-demand/v1/sessions", new
        {
            applicationServer = new { ipv4Address = "203.0.113.55" }, qosProfile = "QOS_E", duration = 60,
        });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.False(body.TryGetProperty("device", out _));
        var mine = await fixture.ThreeLegged.PostAsJsonAsync("/quality-on-demand/v1/retrieve-sessions", new { });
        Assert.Contains((await mine.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), s => s.GetProperty("sessionId").GetString() == body.GetProperty("sessionId").GetString());
        await fixture.ThreeLegged.DeleteAsync($"/quality-on-demand/v1/sessions/{body.GetProperty("sessionId").GetString()}");
    }

    [Fact]
    public async Task AnInvalidCorrelatorIsRejectedAndAValidOneIsEchoedOnErrors()
    {
        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/quality-on-demand/v1/sessions/{Guid.Empty}");
        bad.Headers.TryAddWithoutValidation("x-correlator", "bad value with spaces");
        await AssertErrorAsync(await fixture.TwoLegged.SendAsync(bad), 400, "INVALID_ARGUMENT");
        using var good = new HttpRequestMessage(HttpMethod.Get, $"/quality-on-demand/v1/sessions/{Guid.Empty}");
        good.Headers.Add("x-correlator", "b4333c46-49c0-4f62-80d7-f0ef930f1c46");
        var response = await fixture.TwoLegged.SendAsync(good);
        Assert.Equal("b4333c46-49c0-4f62-80d7-f0ef930f1c46", response.Headers.GetValues("x-correlator").Single());
    }

    private HttpClient ClientFor(string token) => token switch
    {
        "2" => fixture.TwoLegged,
        "3" => fixture.ThreeLegged,
        "r" => fixture.ReadOnly,
        _ => fixture.Host.CreateCheckedClient(),
    };

    internal static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    private async Task<int> CountSessionsAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM qod_sessions";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
