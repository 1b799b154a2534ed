using System.Net;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.Tests.TestHost;
using CamaraQos.TestSupport;
using Xunit;
using static CamaraQos.Controller.Tests.Health.HealthProbe;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>Readiness follows what the controller depends on, down and back up, while liveness stays up.</summary>
public class ReadinessTests
{
    [Fact]
    public async Task ReadinessIs503WhilePostgresIsUnreachableAndRecoversWhenItIsBack()
    {
        using var postgres = TestPostgres.Create();
        await using var relay = new TcpRelay(postgres.Port);
        await using var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            Settings =
            {
                ["Storage:Provider"] = "Postgres",
                // Short timeouts so a cut costs seconds, not the defaults' quarter minute.
                ["Storage:ConnectionString"] = postgres.ConnectionStringVia("127.0.0.1", relay.Port) + ";Timeout=3;Command Timeout=3",
            },
        };
        using var client = factory.CreateDefaultClient();
        await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);

        relay.Cut();
        var down = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", down.CheckStatus("database"));
        Assert.Equal("unreachable", down.CheckDescription("database"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, HealthSetup.LivePath)).Status);

        relay.Restore();
        var up = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);
        Assert.Equal("Healthy", up.CheckStatus("database"));
    }

    [Fact]
    public async Task ReadinessIs503WhileTheSqliteDirectoryIsGoneAndRecoversWhenItIsBack()
    {
        // A volume that went away: the file's directory disappears, so no connection can open (nor create) it.
        var volume = Directory.CreateTempSubdirectory("camaraqos-health-");
        var away = volume.FullName + ".away";
        try
        {
            await using var factory = new ControllerFactory
            {
                UseTestAuthentication = false,
                Settings = { ["Storage:ConnectionString"] = $"Data Source={Path.Combine(volume.FullName, "camaraqos.db")};Pooling=False" },
            };
            using var client = factory.CreateDefaultClient();
            await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);

            Directory.Move(volume.FullName, away);
            var down = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("unreachable", down.CheckDescription("database"));

            Directory.Move(away, volume.FullName);
            await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);
        }
        finally
        {
            if (Directory.Exists(away))
            {
                Directory.Move(away, volume.FullName);
            }
            volume.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReadinessIs503WhileTheExternalBrokerIsDownAndRecoversWhenItIsBack()
    {
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            Settings =
            {
                ["Mqtt:Mode"] = "External",
                ["Mqtt:Host"] = "127.0.0.1",
                ["Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Mqtt:Username"] = "controller",
                ["Mqtt:Password"] = "controller-password",
            },
        };
        using var client = factory.CreateDefaultClient();
        await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);

        await broker.StopAsync();
        var down = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("controller session not connected to the broker", down.CheckDescription("mqtt"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, HealthSetup.LivePath)).Status);

        await broker.RestartAsync();
        var up = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);
        Assert.Equal("controller session connected", up.CheckDescription("mqtt"));
    }
}
