using System.Net;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.Tests.Hosting;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>Outside the sandbox the controller refuses configurations that would be guessable in production.</summary>
public class ProductionGuardTests
{
    private const string StrongSecret = "k3P9xQ2vL7wN4mR8tY1uZ6aB5cD0eF2gH";

    [Theory]
    [InlineData("CHANGE-ME-operator-client-secret-here-please", "Auth:Clients:0:ClientSecret", "sample or sandbox secret")]
    [InlineData("a-long-enough-secret-but-change-me-before-deploying", "Auth:Clients:0:ClientSecret", "sample or sandbox secret")]
    [InlineData("sandbox-admin-secret", "Auth:Clients:0:ClientSecret", "sample or sandbox secret")]
    [InlineData("only-twenty-characte", "Auth:Clients:0:ClientSecret", "too short")]
    public async Task AWeakClientSecretOutsideTheSandboxRefusesTheStartNamingTheKey(string secret, string key, string reason)
    {
        var error = await StartFailsAsync(new()
        {
            ["Auth:Clients:0:ClientId"] = "operator",
            ["Auth:Clients:0:ClientSecret"] = secret,
            ["Auth:Clients:0:Scopes"] = "camaraqos:admin",
        });

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheShortSecretMessageSaysHowLongASecretMustBe()
    {
        var error = await StartFailsAsync(new()
        {
            ["Auth:Clients:0:ClientId"] = "operator",
            ["Auth:Clients:0:ClientSecret"] = StrongSecret,
            ["Auth:Clients:0:Scopes"] = "camaraqos:admin",
            ["Auth:Clients:1:ClientId"] = "app",
            ["Auth:Clients:1:ClientSecret"] = "short",
            ["Auth:Clients:1:Scopes"] = "qos-profiles:read",
        });

        Assert.Contains("Auth:Clients:1:ClientSecret is too short to resist guessing: 5 characters, at least 32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Auth:Clients:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExternalAuthorityWithoutAnAudienceOutsideTheSandboxRefusesTheStart()
    {
        var error = await StartFailsAsync(new() { ["Auth:Authority"] = "https://idp.example/realms/isp" });

        Assert.Contains("Auth:Audience must be set when Auth:Authority is", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InTheSandboxTheWellKnownSecretsAreAcceptedAndOneLoudWarningSaysTheSandboxIsOn()
    {
        var logs = new CapturedLogs();
        await using var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            Settings =
            {
                ["Sandbox:Enabled"] = "true",
                ["Auth:Clients:0:ClientId"] = "operator",
                ["Auth:Clients:0:ClientSecret"] = "sandbox-admin-secret",
                ["Auth:Clients:0:Scopes"] = "camaraqos:admin",
            },
            TestServices = s => s.AddSingleton<ILoggerProvider>(logs),
        };
        using var client = factory.CreateDefaultClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthSetup.LivePath, TestContext.Current.CancellationToken)).StatusCode);
        var warning = Assert.Single(logs.Entries, e => e.Message.Contains("SANDBOX IS ON", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("well-known client credentials", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("Auth:SigningKeyPath is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheEmbeddedServerOutsideTheSandboxKeepsItsSigningKeyInTheDatabaseAndWarnsOfNothing()
    {
        var logs = new CapturedLogs();
        await using var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            Settings =
            {
                ["Auth:Clients:0:ClientId"] = "operator",
                ["Auth:Clients:0:ClientSecret"] = StrongSecret,
                ["Auth:Clients:0:Scopes"] = "camaraqos:admin",
            },
            TestServices = s => s.AddSingleton<ILoggerProvider>(logs),
        };
        using var client = factory.CreateDefaultClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthSetup.LivePath, TestContext.Current.CancellationToken)).StatusCode);
        await using var db = await factory.Services.GetRequiredService<CamaraQos.Controller.Storage.Database>().OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM signing_keys"));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("SigningKey", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("SANDBOX IS ON", StringComparison.Ordinal));
    }

    /// <summary>Starts the real controller with <paramref name="settings"/>; returns the one line it refused to start with.</summary>
    private static async Task<Refusal> StartFailsAsync(Dictionary<string, string?> settings) =>
        new(await ControllerProcess.RefusesToStartAsync([.. settings.Select(s => $"--{s.Key}={s.Value}")]));

    private sealed record Refusal(string Message);
}
