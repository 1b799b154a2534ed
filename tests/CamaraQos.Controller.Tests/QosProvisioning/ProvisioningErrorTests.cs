using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProvisioning;

/// <summary>One shared controller for the error tables, with one INACTIVE profile: a rejected request changes nothing.</summary>
public sealed class ProvisioningErrorHost : IAsyncLifetime
{
    public QodHost Host { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Notifications:AllowHttpSinks"] = "false",
        ["Notifications:AllowPrivateSinks"] = "false",
        ["QosProfiles:0:Name"] = "QOS_E",
        ["QosProfiles:0:Dscp"] = "EF",
        ["QosProfiles:0:MinDuration:Value"] = "1",
        ["QosProfiles:0:MinDuration:Unit"] = "Seconds",
        ["QosProfiles:0:MaxDuration:Value"] = "1",
        ["QosProfiles:0:MaxDuration:Unit"] = "Days",
        ["QosProfiles:1:Name"] = "QOS_OLD",
        ["QosProfiles:1:Dscp"] = "EF",
        ["QosProfiles:1:MinDuration:Value"] = "1",
        ["QosProfiles:1:MinDuration:Unit"] = "Seconds",
        ["QosProfiles:1:MaxDuration:Value"] = "1",
        ["QosProfiles:1:MaxDuration:Unit"] = "Days",
        ["QosProfiles:1:Status"] = "INACTIVE",
    });

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

public sealed class ProvisioningErrorTests(ProvisioningErrorHost fixture) : IClassFixture<ProvisioningErrorHost>
{
    private const string Base = ProvisioningFlowTests.Base;
    private const string Phone = """ "device": {"phoneNumber": "+34600000001"} """;
    private const string Credential = """ "sinkCredential": {"credentialType": "ACCESSTOKEN", "accessToken": "t", "accessTokenExpiresUtc": "2099-01-01T00:00:00Z", "accessTokenType": "bearer"} """;

    /// <summary>createQosAssignment: 400 CreateAssignment400, 401, 403, 404 GenericDevice404, 422 CreateAssignment422.</summary>
    public static TheoryData<string, string, int, string> CreateErrors => new()
    {
        { "2", """{"qosProfile": "QOS_E"}""", 422, "MISSING_IDENTIFIER" },
        { "3", "{" + Phone + """, "qosProfile": "QOS_E"}""", 422, "UNNECESSARY_IDENTIFIER" },
        { "2", """{"device": {"networkAccessIdentifier": "user1@sandbox.example"}, "qosProfile": "QOS_E"}""", 422, "UNSUPPORTED_IDENTIFIER" },
        { "2", """{"device": {"phoneNumber": "+34611111111"}, "qosProfile": "QOS_E"}""", 422, "SERVICE_NOT_APPLICABLE" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_OLD"}""", 422, "QOS_PROVISIONING.QOS_PROFILE_NOT_APPLICABLE" },
        { "2", """{"device": {"phoneNumber": "+34699999999"}, "qosProfile": "QOS_E"}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", """{"device": {"ipv4Address": {"publicAddress": "192.0.2.200", "privateAddress": "192.168.1.10"}}, "qosProfile": "QOS_E"}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", """{"device": {"ipv6Address": "2001:db8:ffff::1"}, "qosProfile": "QOS_E"}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", """{"device": {"phoneNumber": "0034600000001"}, "qosProfile": "QOS_E"}""", 400, "INVALID_ARGUMENT" },
        { "2", """{"device": {}, "qosProfile": "QOS_E"}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + """, "qosProfile": "Q"}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_NOPE"}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + """, "qosProfile": 7}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E", "sinkCredential": {"credentialType": "ACCESSTOKEN"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E", "sink": "http://sink.example.com/n", """ + Credential + "}", 400, "INVALID_SINK" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E", "sink": "https://127.0.0.1/n", """ + Credential + "}", 400, "INVALID_SINK" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E", "sink": "https://sink.example.com/n", "sinkCredential": {"credentialType": "PLAIN", "identifier": "a", "secret": "b"}}""", 400, "INVALID_CREDENTIAL" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E", "sink": "https://sink.example.com/n", "sinkCredential": {"credentialType": "ACCESSTOKEN", "accessToken": "t", "accessTokenExpiresUtc": "2099-01-01T00:00:00Z", "accessTokenType": "mac"}}""", 400, "INVALID_TOKEN" },
        { "2", "{" + Phone + """, "qosProfile": "QOS_E" """, 400, "INVALID_ARGUMENT" },
        { "r", "{" + Phone + """, "qosProfile": "QOS_E"}""", 403, "PERMISSION_DENIED" },
        { "-", "{" + Phone + """, "qosProfile": "QOS_E"}""", 401, "UNAUTHENTICATED" },
    };

    [Theory]
    [MemberData(nameof(CreateErrors))]
    public async Task CreatingAnAssignmentWithABadRequestReturnsTheSpecCodeAndStoresNothing(string token, string body, int status, string code)
    {
        var before = await CountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/qos-assignments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        await QodErrorTests.AssertErrorAsync(await ClientFor(token).SendAsync(request), status, code);
        Assert.Equal(before, await CountAsync());
    }

    /// <summary>getQosAssignmentById, revokeQosAssignment, getQosAssignmentByDevice: their documented codes.</summary>
    public static TheoryData<string, string, string, string?, int, string> OtherErrors => new()
    {
        { "2", "GET", $"{Base}/qos-assignments/not-a-uuid", null, 400, "INVALID_ARGUMENT" },
        { "2", "GET", $"{Base}/qos-assignments/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "-", "GET", $"{Base}/qos-assignments/{Guid.Empty}", null, 401, "UNAUTHENTICATED" },
        { "2", "DELETE", $"{Base}/qos-assignments/123", null, 400, "INVALID_ARGUMENT" },
        { "2", "DELETE", $"{Base}/qos-assignments/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "r", "DELETE", $"{Base}/qos-assignments/{Guid.Empty}", null, 403, "PERMISSION_DENIED" },
        { "-", "DELETE", $"{Base}/qos-assignments/{Guid.Empty}", null, 401, "UNAUTHENTICATED" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", "{}", 422, "MISSING_IDENTIFIER" },
        { "3", "POST", $"{Base}/retrieve-qos-assignment", """{"device": {"phoneNumber": "+34600000001"}}""", 422, "UNNECESSARY_IDENTIFIER" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", """{"device": {"networkAccessIdentifier": "a@b.c"}}""", 422, "UNSUPPORTED_IDENTIFIER" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", """{"device": {"phoneNumber": "+34699999999"}}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", """{"device": {"phoneNumber": "+34600000002"}}""", 404, "NOT_FOUND" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", """{"device": {"phoneNumber": "12"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "POST", $"{Base}/retrieve-qos-assignment", "{", 400, "INVALID_ARGUMENT" },
        { "-", "POST", $"{Base}/retrieve-qos-assignment", "{}", 401, "UNAUTHENTICATED" },
        { "2", "PUT", $"{Base}/qos-assignments", "{}", 405, "METHOD_NOT_ALLOWED" },
        { "2", "GET", $"{Base}/no-such-path", null, 404, "NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(OtherErrors))]
    public async Task ReadingRevokingAndRetrievingWithABadRequestReturnsTheSpecCode(string token, string method, string path, string? body, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        await QodErrorTests.AssertErrorAsync(await ClientFor(token).SendAsync(request), status, code);
    }

    [Fact]
    public async Task AThreeLeggedTokenAssignsItsSubscribersDeviceWithoutEchoingADevice()
    {
        var created = await fixture.ThreeLegged.PostAsJsonAsync($"{Base}/qos-assignments", new { qosProfile = "QOS_E" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.False(body.TryGetProperty("device", out _));
        var mine = await fixture.ThreeLegged.PostAsJsonAsync($"{Base}/retrieve-qos-assignment", new { });
        Assert.Equal(body.GetProperty("assignmentId").GetGuid(), (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignmentId").GetGuid());
        var path = $"{Base}/qos-assignments/{body.GetProperty("assignmentId").GetGuid()}";
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ThreeLegged.DeleteAsync(path)).StatusCode);
        // The other rows count stored assignments: wait until the gateway has dropped this one.
        await Eventually.TrueAsync(async () => (await fixture.ThreeLegged.GetAsync(path)).StatusCode == HttpStatusCode.NotFound, "revoke completed");
    }

    /// <summary>Test plan getQosAssignmentByDevice 403.2: the device's assignment belongs to another API client.</summary>
    [Fact]
    public async Task RetrievingTheAssignmentAnotherClientCreatedForTheDeviceIsPermissionDenied()
    {
        var device = new { ipv4Address = new { publicAddress = "198.51.100.2", privateAddress = "192.168.1.10" } };
        var created = await fixture.TwoLegged.PostAsJsonAsync($"{Base}/qos-assignments", new { device, qosProfile = "QOS_E" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        using var other = await fixture.Host.ClientAsync("sandbox-client-2", "sandbox-secret-2");

        await QodErrorTests.AssertErrorAsync(await other.PostAsJsonAsync($"{Base}/retrieve-qos-assignment", new { device }), 403, "PERMISSION_DENIED");

        var path = $"{Base}/qos-assignments/{body.GetProperty("assignmentId").GetGuid()}";
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.TwoLegged.DeleteAsync(path)).StatusCode);
        await Eventually.TrueAsync(async () => (await fixture.TwoLegged.GetAsync(path)).StatusCode == HttpStatusCode.NotFound, "revoke completed");
    }

    private HttpClient ClientFor(string token) => token switch
    {
        "2" => fixture.TwoLegged,
        "3" => fixture.ThreeLegged,
        "r" => fixture.ReadOnly,
        _ => fixture.Host.CreateCheckedClient(),
    };

    private async Task<int> CountAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM qos_assignments";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
