using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.Agents;
using CamaraQos.Controller.Tests.Health;
using CamaraQos.Controller.Tests.QualityOnDemand;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.Sandbox;

public sealed class SqliteSandboxOnExternalBrokerTests() : SandboxOnExternalBrokerTests(postgres: false);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresSandboxOnExternalBrokerTests() : SandboxOnExternalBrokerTests(postgres: true);

/// <summary>
/// The sandbox on an authenticating Mosquitto with dynamic security (issue 11 item 8): its simulated gateways
/// are provisioned like real ones, and sandbox controllers sharing the broker and database run one fleet.
/// </summary>
public abstract class SandboxOnExternalBrokerTests(bool postgres) : IAsyncDisposable
{
    private const int Bound = 60_000;
    private static readonly string[] Gateways = [SimulatedFleet.Gateway1, SimulatedFleet.Gateway2, SimulatedFleet.GatewayOffline];
    private readonly string _sqlite = QodHost.NewDatabasePath();
    private TestPostgres? _postgres;
    private PrivateMosquitto? _broker;
    private readonly List<QodHost> _hosts = [];

    private async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _broker ??= await PrivateMosquitto.StartWithDynamicSecurityAsync(DynamicSecurityTests.ControllerUser, DynamicSecurityTests.ControllerPassword);
        var settings = DynamicSecurityTests.ExternalSettings(_broker.Port);
        settings["Sandbox:FleetLeaseSeconds"] = "3";
        // The gateway's confirmation crosses a real broker on a loaded machine: the session waits for it.
        settings["QualityOnDemand:ConfirmTimeoutSeconds"] = "60";
        if (postgres)
        {
            _postgres ??= TestPostgres.Create();
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = _postgres.ConnectionString;
        }
        return settings;
    }

    private async Task<QodHost> StartControllerAsync()
    {
        var host = new QodHost(_sqlite, await SettingsAsync());
        _hosts.Add(host);
        _ = host.Server;
        await host.Services.GetRequiredService<ControllerMqttClient>().WaitConnectedAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static SimulatedFleet Fleet(QodHost host) => host.Services.GetRequiredService<SimulatedFleet>();

    private static Task FleetRunsAsync(QodHost host) => Eventually.TrueAsync(
        () => Fleet(host).Agents.Count == Gateways.Length && Fleet(host).Agents.All(a => a.IsConnected) &&
              Gateways.All(id => host.Services.GetRequiredService<IAgentDirectory>().Find(id)?.Online == true),
        "the simulated gateways logged in and announced", Bound);

    /// <summary>Creates a session for the sandbox phone and waits (bounded) for the gateway to confirm it.</summary>
    private static async Task SessionBecomesAvailableAsync(QodHost host)
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await host.ClientAsync();
        using var created = await client.PostAsJsonAsync("/quality-on-demand/v1/sessions",
            SessionLifecycleTests.Body(phone: "+34600000001", duration: 600), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("sessionId").GetString();
        string? status = null;
        await Eventually.TrueAsync(async () =>
        {
            status = (await client.GetFromJsonAsync<JsonElement>($"/quality-on-demand/v1/sessions/{id}", ct)).GetProperty("qosStatus").GetString();
            return status != "REQUESTED";
        }, "the gateway's confirmation", Bound);
        Assert.Equal("AVAILABLE", status);
    }

    [Fact]
    public async Task ItsSimulatedGatewaysLogInWithProvisionedCredentialsAndAQodSessionBecomesAvailable()
    {
        var host = await StartControllerAsync();

        await FleetRunsAsync(host);

        await SessionBecomesAvailableAsync(host);
    }

    [Fact]
    public async Task TwoControllersRunOneFleetAndTheSecondTakesItOverWhenTheFirstStops()
    {
        var first = await StartControllerAsync();
        await FleetRunsAsync(first);
        var running = Fleet(first).Agents.ToArray();

        var second = await StartControllerAsync();
        await Eventually.TrueAsync(() => Fleet(second).HoldsLease == false, "the second controller finding the lease held", Bound);

        // No fight: the second never logged the gateways in, and the first's sessions were never taken over.
        Assert.False(Fleet(second).IsRunning);
        Assert.Equal(running, Fleet(first).Agents);
        Assert.All(running, a => Assert.True(a.IsConnected));

        await first.DisposeAsync();
        _hosts.Remove(first);

        await FleetRunsAsync(second);
        await SessionBecomesAvailableAsync(second);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        _postgres?.Dispose();
        QodHost.DeleteDatabase(_sqlite);
        GC.SuppressFinalize(this);
    }
}
