using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.Health;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

/// <summary>An external broker without <c>Mqtt:Provisioning</c>: its operator configures agents, and the admin API says so.</summary>
public sealed class ManualProvisioningTests
{
    [Fact]
    public async Task PuttingAnAgentIsRefusedWith501NamingTheKeyInsteadOfASilentSuccess()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await PrivateMosquitto.StartAsync();
        using var db = new TempDatabase();
        await using var host = new AgentsHost(db, settings: new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
        });
        await host.StartAsync(ct);
        using var admin = await host.AdminAsync(ct);

        using var put = await admin.PutAsJsonAsync("/admin/v1/agents/gw-a", new { password = "correct-horse-battery" }, ct);

        Assert.Equal(HttpStatusCode.NotImplemented, put.StatusCode);
        var error = await put.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("NOT_IMPLEMENTED", error.GetProperty("code").GetString());
        Assert.Contains("Mqtt:Provisioning", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(host.Directory.Find("gw-a"));
    }
}
