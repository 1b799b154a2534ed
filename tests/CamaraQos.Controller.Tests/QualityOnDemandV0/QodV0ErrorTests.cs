using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.QualityOnDemandV0;

/// <summary>
/// Error tables of quality-on-demand v0.10.1, per operation. Every response also passes the contract
/// check against the YAML (QodHost's checked clients map /qod/v0 to quality-on-demand-v0.10.1.yaml).
/// </summary>
public sealed class QodV0ErrorTests(QodErrorHost fixture) : IClassFixture<QodErrorHost>
{
    private const string Server = """ "applicationServer": {"ipv4Address": "203.0.113.10"} """;
    private const string Phone = """ "device": {"phoneNumber": "+34600000001"} """;
    private const string Rest = Server + """, "qosProfile": "QOS_E" """;

    public static TheoryData<string, string, int, string> CreateErrors => new()
    {
        { "2", "{" + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {}," + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {\"phoneNumber\": \"+34699999999\"}," + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {\"ipv4Address\": {\"publicAddress\": \"192.0.2.200\", \"privateAddress\": \"192.168.1.10\"}}," + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {\"ipv4Address\": {\"publicAddress\": \"198.51.100.1\"}}," + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{\"device\": {\"networkAccessIdentifier\": \"user1@sandbox.example\"}," + Rest + "}", 501, "NOT_IMPLEMENTED" },
        { "2", "{\"device\": {\"phoneNumber\": \"+34611111111\"}," + Rest + "}", 501, "NOT_IMPLEMENTED" },
        { "2", "{" + Phone + ", \"qosProfile\": \"QOS_E\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + ", \"applicationServer\": {\"ipv4Address\": \"300.1.1.1\"}, \"qosProfile\": \"QOS_E\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Server + ", \"qosProfile\": \"QOS_NOPE\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"devicePorts\": {\"ranges\": [{\"from\": 6000, \"to\": 5000}]}}", 400, "OUT_OF_RANGE" },
        { "2", "{" + Phone + "," + Rest + ", \"duration\": 0}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"duration\": 86401}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"webhook\": {}}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"webhook\": {\"notificationUrl\": \"not a url\"}}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"webhook\": {\"notificationUrl\": \"https://127.0.0.1/n\"}}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"webhook\": {\"notificationUrl\": \"https://sink.example.com/n\", \"notificationAuthToken\": \"short\"}}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest + ", \"duration\": \"sixty\"}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "," + Rest, 400, "INVALID_ARGUMENT" },
        { "3", "{\"device\": {\"phoneNumber\": \"+34600000002\"}," + Rest + "}", 400, "INVALID_ARGUMENT" },
        { "r", "{" + Phone + "," + Rest + "}", 403, "PERMISSION_DENIED" },
        { "-", "{" + Phone + "," + Rest + "}", 401, "UNAUTHENTICATED" },
    };

    [Theory]
    [MemberData(nameof(CreateErrors))]
    public async Task CreatingAV0SessionWithABadRequestReturnsTheV0CodeAndStoresNothing(string token, string body, int status, string code)
    {
        var before = await CountSessionsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/qod/v0/sessions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        await QodErrorTests.AssertErrorAsync(await ClientFor(token).SendAsync(request), status, code);
        Assert.Equal(before, await CountSessionsAsync());
    }

    public static TheoryData<string, string, string, string?, int, string> OtherErrors => new()
    {
        { "2", "GET", "/qod/v0/sessions/not-a-uuid", null, 400, "INVALID_ARGUMENT" },
        { "2", "GET", $"/qod/v0/sessions/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "-", "GET", $"/qod/v0/sessions/{Guid.Empty}", null, 401, "UNAUTHENTICATED" },
        { "2", "DELETE", "/qod/v0/sessions/123", null, 400, "INVALID_ARGUMENT" },
        { "2", "DELETE", $"/qod/v0/sessions/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "r", "DELETE", $"/qod/v0/sessions/{Guid.Empty}", null, 403, "PERMISSION_DENIED" },
        { "2", "POST", "/qod/v0/sessions/xyz/extend", """{"requestedAdditionalDuration": 10}""", 400, "INVALID_ARGUMENT" },
        { "2", "POST", $"/qod/v0/sessions/{Guid.Empty}/extend", """{"requestedAdditionalDuration": 10}""", 404, "NOT_FOUND" },
        { "r", "POST", $"/qod/v0/sessions/{Guid.Empty}/extend", """{"requestedAdditionalDuration": 10}""", 403, "PERMISSION_DENIED" },
        { "2", "GET", "/qod/v0/qos-profiles?name=NO_SUCH", null, 404, "NOT_FOUND" },
        { "2", "GET", "/qod/v0/qos-profiles?status=BOGUS", null, 404, "NOT_FOUND" },
        { "-", "GET", "/qod/v0/qos-profiles", null, 401, "UNAUTHENTICATED" },
        { "2", "GET", "/qod/v0/qos-profiles/Q", null, 400, "INVALID_ARGUMENT" },
        { "2", "GET", "/qod/v0/qos-profiles/QOS_NOPE", null, 404, "NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(OtherErrors))]
    public async Task ReadingExtendingDeletingAndProfilesWithABadRequestReturnTheV0Code(string token, string method, string path, string? body, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        await QodErrorTests.AssertErrorAsync(await ClientFor(token).SendAsync(request), status, code);
    }

    [Fact]
    public async Task ExtendingOutsideTheV0LimitsOrAnotherClientsSessionIsRejectedAndChangesNothing()
    {
        var created = await fixture.TwoLegged.PostAsJsonAsync("/qod/v0/sessions", QodV0FlowTests.Body(phone: "+34600000002", server: "203.0.113.78"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString();
        var path = $"/qod/v0/sessions/{id}/extend";
        await QodErrorTests.AssertErrorAsync(await fixture.TwoLegged.PostAsJsonAsync(path, new { requestedAdditionalDuration = 0 }), 400, "INVALID_ARGUMENT");
        await QodErrorTests.AssertErrorAsync(await fixture.TwoLegged.PostAsJsonAsync(path, new { requestedAdditionalDuration = 86400 }), 400, "INVALID_ARGUMENT");
        await QodErrorTests.AssertErrorAsync(await fixture.TwoLegged.PostAsJsonAsync(path, new { }), 400, "INVALID_ARGUMENT");
        using var other = await fixture.Host.ClientAsync("sandbox-client-2", "sandbox-secret-2");
        await QodErrorTests.AssertErrorAsync(await other.PostAsJsonAsync(path, new { requestedAdditionalDuration = 10 }), 403, "PERMISSION_DENIED");
        await QodErrorTests.AssertErrorAsync(await other.GetAsync($"/qod/v0/sessions/{id}"), 403, "PERMISSION_DENIED");
        var read = await fixture.TwoLegged.GetFromJsonAsync<JsonElement>($"/qod/v0/sessions/{id}");
        Assert.Equal(60, read.GetProperty("duration").GetInt64());
        await fixture.TwoLegged.DeleteAsync($"/qod/v0/sessions/{id}");
    }

    [Fact]
    public async Task ExtendingASessionThatIsNotAvailableIsTheInactiveSessionError()
    {
        await using var host = new QodHost(settings: new Dictionary<string, string?> { ["QualityOnDemand:SynchronousConfirmMilliseconds"] = "0" });
        await host.FleetOnlineAsync("sandbox-gw-offline");
        using var client = await host.ClientAsync();
        var created = await client.PostAsJsonAsync("/qod/v0/sessions", QodV0FlowTests.Body(phone: "+34600000003"));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("REQUESTED", body.GetProperty("qosStatus").GetString());
        var response = await client.PostAsJsonAsync($"/qod/v0/sessions/{body.GetProperty("sessionId").GetString()}/extend", new { requestedAdditionalDuration = 30 });
        await QodErrorTests.AssertErrorAsync(response, 400, "INVALID_ARGUMENT");
    }

    private HttpClient ClientFor(string token) => token switch
    {
        "2" => fixture.TwoLegged,
        "3" => fixture.ThreeLegged,
        "r" => fixture.ReadOnly,
        _ => fixture.Host.CreateCheckedClient(),
    };

    private async Task<int> CountSessionsAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM qod_sessions";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
