using System.Net.Http.Json;
using System.Text;
using CamaraQos.Controller.Tests.ApplicationProfiles;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.ConnectivityInsights;

/// <summary>One controller for the table: the caller's profile, another client's, and a compute-only one.</summary>
public sealed class CheckNetworkQualityErrorHost : IAsyncLifetime
{
    public QodHost Host { get; } = new();
    public HttpClient TwoLegged { get; private set; } = null!;
    public HttpClient ThreeLegged { get; private set; } = null!;
    public HttpClient ReadOnly { get; private set; } = null!;
    public Dictionary<string, string> Ids { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        TwoLegged = await Host.ClientAsync();
        ThreeLegged = await Host.ThreeLeggedClientAsync("tel:+34600000001");
        ReadOnly = await Host.ClientAsync("sandbox-readonly", "sandbox-readonly-secret");
        using var other = await Host.ClientAsync("sandbox-client-2", "sandbox-secret-2");
        Ids["{profile}"] = (await ApplicationProfilesTests.CreateAsync(TwoLegged, ApplicationProfilesTests.Gaming)).ToString();
        Ids["{other}"] = (await ApplicationProfilesTests.CreateAsync(other, ApplicationProfilesTests.Gaming)).ToString();
        Ids["{compute}"] = (await ApplicationProfilesTests.CreateAsync(TwoLegged, new { computeResources = new { targetMinCPU = 1 } })).ToString();
        Ids["{unknown}"] = Guid.NewGuid().ToString();
        using var admin = await Host.ClientAsync("sandbox-admin", "sandbox-admin-secret");
        // A subscriber whose gateway has never connected.
        (await admin.PutAsJsonAsync("/admin/v1/subscribers/ghost", new { phoneNumbers = new[] { "+34611111111" }, agentId = "gw-never-seen", deviceMac = "02:00:00:00:09:09" })).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

public sealed class CheckNetworkQualityErrorTests(CheckNetworkQualityErrorHost fixture) : IClassFixture<CheckNetworkQualityErrorHost>
{
    private const string Profile = """ "applicationProfileId": "{profile}" """;
    private const string Phone = """ "device": {"phoneNumber": "+34600000001"} """;
    private const string Server = """ "applicationServer": {"ipv4Address": "203.0.113.10"} """;

    /// <summary>checkNetworkQuality: 400 Generic400, 401, 403 Generic403, 404 Generic404, 422 Generic422.</summary>
    public static TheoryData<string, string, int, string> Errors => new()
    {
        { "2", "{" + Phone + "}", 400, "INVALID_ARGUMENT" },
        { "2", """{"applicationProfileId": "abc", """ + Phone + "}", 400, "INVALID_ARGUMENT" },
        { "2", """{"applicationProfileId": 5, """ + Phone + "}", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + """, "device": {"phoneNumber": "0034600000001"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + """, "device": {}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + """, "device": {"ipv4Address": {"publicAddress": "198.51.100.1"}}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "applicationServer": {}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "applicationServer": {"ipv4Address": "300.1.1.1"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "applicationServer": {"ipv4Address": "203.0.113.0/33"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "applicationServer": {"ipv6Address": "203.0.113.1"}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + "," + Server + """, "applicationServerPorts": {"ports": [70000]}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + "," + Server + """, "applicationServerPorts": {}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + "," + Server + """, "applicationServerPorts": {"ranges": [{"from": 6000, "to": 5000}]}}""", 400, "OUT_OF_RANGE" },
        { "2", "{" + Profile + "," + Phone + """, "applicationServerPorts": {"ports": [443]}}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "monitoringTimeStamp": "2023-07-03T12:27:08"}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone + """, "monitoringTimeStamp": "yesterday"}""", 400, "INVALID_ARGUMENT" },
        { "2", "{" + Profile + "," + Phone, 400, "INVALID_ARGUMENT" },
        { "-", "{" + Profile + "," + Phone + "}", 401, "UNAUTHENTICATED" },
        { "r", "{" + Profile + "," + Phone + "}", 403, "PERMISSION_DENIED" },
        { "2", """{"applicationProfileId": "{other}", """ + Phone + "}", 403, "PERMISSION_DENIED" },
        { "2", """{"applicationProfileId": "{unknown}", """ + Phone + "}", 404, "NOT_FOUND" },
        { "2", "{" + Profile + """, "device": {"phoneNumber": "+34699999999"}}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{" + Profile + """, "device": {"ipv4Address": {"publicAddress": "192.0.2.200", "privateAddress": "192.168.1.10"}}}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{" + Profile + """, "device": {"ipv6Address": "2001:db8:ffff::1"}}""", 404, "IDENTIFIER_NOT_FOUND" },
        { "2", "{" + Profile + "}", 422, "MISSING_IDENTIFIER" },
        { "3", "{" + Profile + "," + Phone + "}", 422, "UNNECESSARY_IDENTIFIER" },
        { "2", "{" + Profile + """, "device": {"networkAccessIdentifier": "user1@sandbox.example"}}""", 422, "UNSUPPORTED_IDENTIFIER" },
        { "2", "{" + Profile + """, "device": {"phoneNumber": "+34611111111"}}""", 422, "SERVICE_NOT_APPLICABLE" },
        { "2", """{"applicationProfileId": "{compute}", """ + Phone + "}", 422, "SERVICE_NOT_APPLICABLE" },
        { "2", "{" + Profile + "," + Phone + """, "monitoringTimeStamp": "2099-01-01T00:00:00Z"}""", 422, "SERVICE_NOT_APPLICABLE" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task CheckingWithABadRequestReturnsTheSpecCode(string token, string body, int status, string code)
    {
        var client = token switch { "2" => fixture.TwoLegged, "3" => fixture.ThreeLegged, "r" => fixture.ReadOnly, _ => fixture.Host.CreateCheckedClient() };
        foreach (var (placeholder, id) in fixture.Ids)
        {
            body = body.Replace(placeholder, id);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, CheckNetworkQualityTests.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        await QodErrorTests.AssertErrorAsync(await client.SendAsync(request), status, code);
    }
}
