using System.Net.Http.Json;
using System.Text;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.HomeDevicesQod;

/// <summary>
/// One shared controller for the setQos error table: homes on the sandbox gateways (gw-1 online and
/// confirming, gw-offline online but silent), a home whose gateway is registered but never came online,
/// one whose gateway was never registered, and a token whose subscriber was removed after it was issued.
/// </summary>
public sealed class HomeDevicesQodErrorHost : IAsyncLifetime
{
    public QodHost Host { get; } = new(settings: new Dictionary<string, string?>
    {
        ["HomeDevicesQod:ConfirmTimeoutMilliseconds"] = "500",
        ["HomeDevicesQod:RequiredBands:real_time_interactive"] = "5GHz",
    });

    public Dictionary<string, HttpClient> Clients { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync(SimulatedFleet.Gateway1, SimulatedFleet.GatewayOffline);
        using var admin = await Host.ClientAsync("sandbox-admin", "sandbox-admin-secret");
        (await admin.PutAsJsonAsync("/admin/v1/agents/gw-registered-only", new { password = "never-connects-1" })).EnsureSuccessStatusCode();
        await BindAsync(admin, "home-dark", "+34622000001", "gw-registered-only");
        await BindAsync(admin, "home-unknown-gw", "+34622000002", "gw-never-registered");
        await BindAsync(admin, "home-removed", "+34622000003", SimulatedFleet.Gateway1);
        Clients["3"] = await Host.ThreeLeggedClientAsync("tel:+34600000001");
        Clients["silent"] = await Host.ThreeLeggedClientAsync("tel:+34600000003");
        Clients["dark"] = await Host.ThreeLeggedClientAsync("tel:+34622000001");
        Clients["unknown-gw"] = await Host.ThreeLeggedClientAsync("tel:+34622000002");
        Clients["removed"] = await Host.ThreeLeggedClientAsync("tel:+34622000003");
        (await admin.DeleteAsync("/admin/v1/subscribers/home-removed")).EnsureSuccessStatusCode();
        Clients["2"] = await Host.ClientAsync();
        Clients["r"] = await Host.ClientAsync("sandbox-readonly", "sandbox-readonly-secret");
        Clients["-"] = Host.CreateCheckedClient();
    }

    private static async Task BindAsync(HttpClient admin, string id, string phone, string agentId) =>
        (await admin.PutAsJsonAsync($"/admin/v1/subscribers/{id}", new { phoneNumbers = new[] { phone }, agentId })).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
        await Host.DisposeAsync();
    }
}

public sealed class HomeDevicesQodErrorTests(HomeDevicesQodErrorHost fixture) : IClassFixture<HomeDevicesQodErrorHost>
{
    internal const string Qos = "/home-devices-qod/v0.4/qos";

    private static string Body(string serviceClass, string ip) => $$"""{"serviceClass": "{{serviceClass}}", "ipAddress": "{{ip}}"}""";

    /// <summary>setQos: 400 Generic400, 401, 403 setQosPermissionDenied403, 404 setQosNotFound404, 409 setQosConflict409, 503, 504.</summary>
    public static TheoryData<string, string, int, string> SetErrors => new()
    {
        { "3", """{"ipAddress": "192.168.1.10"}""", 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": "REAL_TIME_INTERACTIVE", "ipAddress": "192.168.1.10"}""", 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": "gold", "ipAddress": "192.168.1.10"}""", 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": 32, "ipAddress": "192.168.1.10"}""", 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": "real_time_interactive"}""", 400, "INVALID_ARGUMENT" },
        { "3", Body("multimedia_streaming", "192.168.1"), 400, "INVALID_ARGUMENT" },
        { "3", Body("multimedia_streaming", "192.168.1.300"), 400, "INVALID_ARGUMENT" },
        { "3", Body("multimedia_streaming", "192.168.1.10/24"), 400, "INVALID_ARGUMENT" },
        { "3", Body("multimedia_streaming", "2001:db8:1::10"), 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": "multimedia_streaming", "ipAddress": 3232235786}""", 400, "INVALID_ARGUMENT" },
        { "3", """{"serviceClass": "multimedia_streaming", "ipAddress": "192.168.1.10" """, 400, "INVALID_ARGUMENT" },
        { "-", Body("multimedia_streaming", "192.168.1.10"), 401, "UNAUTHENTICATED" },
        { "r", Body("multimedia_streaming", "192.168.1.10"), 403, "PERMISSION_DENIED" },
        { "2", Body("multimedia_streaming", "192.168.1.10"), 403, "INVALID_TOKEN_CONTEXT" },
        { "removed", Body("multimedia_streaming", "192.168.1.10"), 403, "INVALID_TOKEN_CONTEXT" },
        { "3", Body("multimedia_streaming", "192.168.1.99"), 404, "DEVICE_NOT_FOUND" },
        { "3", Body("multimedia_streaming", "198.51.100.1"), 404, "DEVICE_NOT_FOUND" },
        { "3", Body("standard", "192.168.1.10"), 409, "HOME_DEVICES_QOD.QOS_ALREADY_SET_TO_DEFAULT" },
        { "3", Body("real_time_interactive", "192.168.1.11"), 409, "HOME_DEVICES_QOD.NOT_CONNECTED_TO_REQUIRED_INTERFACE" },
        { "dark", Body("multimedia_streaming", "192.168.1.10"), 503, "HOME_DEVICES_QOD.ROUTER_OFFLINE" },
        { "unknown-gw", Body("multimedia_streaming", "192.168.1.10"), 503, "HOME_DEVICES_QOD.ROUTER_OFFLINE" },
        { "silent", Body("multimedia_streaming", "192.168.1.10"), 504, "TIMEOUT" },
    };

    [Theory]
    [MemberData(nameof(SetErrors))]
    public async Task SettingQosWithABadRequestReturnsTheSpecCodeAndChangesNothing(string token, string body, int status, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Qos) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        await QodErrorTests.AssertErrorAsync(await fixture.Clients[token].SendAsync(request), status, code);
        Assert.Equal(0, await CountAsync());
        // The silent gateway was sent the class and then its withdrawal: its latest document has none.
        await Eventually.TrueAsync(() => fixture.Host.Services.GetRequiredService<SimulatedFleet>().Agents
            .All(a => a.LastDesired?.Policies.Any(p => p.Id.StartsWith("wmm-", StringComparison.Ordinal)) != true), "no home class on any gateway");
    }

    public static TheoryData<string, string?, string, int, string> OtherErrors => new()
    {
        { "GET", null, "application/json", 405, "METHOD_NOT_ALLOWED" },
        { "POST", Body("multimedia_streaming", "192.168.1.10"), "application/json", 405, "METHOD_NOT_ALLOWED" },
        { "PUT", Body("multimedia_streaming", "192.168.1.10"), "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE" },
    };

    [Theory]
    [MemberData(nameof(OtherErrors))]
    public async Task OtherMethodsAndMediaTypesOnQosAreCamaraErrors(string method, string? body, string mediaType, int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Qos);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }
        await QodErrorTests.AssertErrorAsync(await fixture.Clients["3"].SendAsync(request), status, code);
        Assert.Equal(0, await CountAsync());
    }

    private async Task<int> CountAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM home_device_qos";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
