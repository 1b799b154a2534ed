using System.Net;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CamaraQos.Controller.Tests.Health.HealthProbe;

namespace CamaraQos.Controller.Tests.Health;

public class HealthEndpointTests
{
    [Fact]
    public async Task LiveAndReadyAnswer200WithoutATokenOnAHealthyHost()
    {
        await using var factory = new ControllerFactory { UseTestAuthentication = false };
        using var client = factory.CreateDefaultClient();

        var ready = await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);
        var live = await GetAsync(client, HealthSetup.LivePath);

        Assert.Equal("application/json", ready.ContentType);
        Assert.Equal("Healthy", ready.Body.GetProperty("status").GetString());
        Assert.All(new[] { "database", "mqtt", "loops" }, check => Assert.Equal("Healthy", ready.CheckStatus(check)));
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("Healthy", live.CheckStatus("loops"));
        // Liveness does not depend on what a restart cannot fix.
        Assert.False(live.Body.GetProperty("checks").TryGetProperty("database", out _));
    }

    [Fact]
    public async Task TheHealthEndpointsAreNotRateLimited()
    {
        await using var factory = new ControllerFactory { UseTestAuthentication = false, Settings = { ["RateLimiting:PermitLimit"] = "1" } };
        using var client = factory.CreateDefaultClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, HealthSetup.LivePath)).Status);
        }
    }

    [Fact]
    public async Task AWedgedLoopMakesLiveAndReady503WithPlainHealthOutputNotErrorInfo()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var heartbeats = new LoopHeartbeats(clock);
        await using var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            TestServices = s => s.AddSingleton(heartbeats),
        };
        using var client = factory.CreateDefaultClient();
        await WaitForAsync(client, HealthSetup.ReadyPath, HttpStatusCode.OK);

        heartbeats.Register("stuck", TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromHours(1));

        foreach (var path in new[] { HealthSetup.LivePath, HealthSetup.ReadyPath })
        {
            var answer = await GetAsync(client, path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("application/json", answer.ContentType);
            Assert.Equal("Unhealthy", answer.Body.GetProperty("status").GetString());
            Assert.False(answer.Body.TryGetProperty("code", out _), answer.Body.ToString());
            Assert.Contains("stuck wedged", answer.CheckDescription("loops"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ACrashedLoopMakesLivenessFailAtOnce()
    {
        await using var factory = new ControllerFactory { UseTestAuthentication = false };
        using var client = factory.CreateDefaultClient();
        await WaitForAsync(client, HealthSetup.LivePath, HttpStatusCode.OK);
        using var crashed = new CrashedLoop(factory.Services.GetRequiredService<LoopHeartbeats>());

        await crashed.StartAsync(TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => crashed.ExecuteTask!);

        var live = await GetAsync(client, HealthSetup.LivePath);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.Status);
        Assert.Contains("crashed-loop dead: crashed", live.CheckDescription("loops"), StringComparison.Ordinal);
        Assert.DoesNotContain("bug", live.Body.ToString(), StringComparison.Ordinal);
    }

    private sealed class CrashedLoop(LoopHeartbeats heartbeats) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            heartbeats.Register("crashed-loop", TimeSpan.FromSeconds(5), this);
            await Task.Yield();
            throw new InvalidOperationException("a bug with a secret in its message");
        }
    }
}
