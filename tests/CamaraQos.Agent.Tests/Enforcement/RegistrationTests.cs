using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class RegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AgentSettings Config()
    {
        var values = new Dictionary<string, string?>
        {
            ["Agent:Id"] = "gw-reg",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Agent:WanInterface"] = "wan0",
            ["Agent:LanInterfaces"] = "lan0, wlan0",
            ["Agent:UplinkKbps"] = "10000",
            ["Agent:DownlinkKbps"] = "50000",
            ["Agent:StateDirectory"] = Path.Combine(Path.GetTempPath(), "cqe-reg-" + Guid.NewGuid().ToString("N")),
        };
        return AgentSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    // Bad values are refused by AgentSettings before Enforcement sees them (Configuration/AgentSettingsTests).
    [Fact]
    public void ConfigurationBindsCommaSeparatedLanInterfacesAndIdentity()
    {
        using var sp = new ServiceCollection().AddLogging().AddSingleton(new AgentIdentity("gw-reg", 1))
            .AddEnforcement(Config()).BuildServiceProvider();

        var o = sp.GetRequiredService<IOptions<EnforcementOptions>>().Value;

        Assert.Equal(["lan0", "wlan0"], o.LanInterfaces);
        Assert.Equal("gw-reg", sp.GetRequiredService<AgentIdentity>().AgentId);
        Assert.Equal("gw-reg", sp.GetRequiredService<IEnforcer>().CurrentReport.AgentId);
    }

    [Fact]
    public async Task HostedServiceRestoresAtStartAndExpiresPoliciesOnTheTimer()
    {
        var config = Config();
        var time = new FakeTimeProvider(Documents.Issued);
        var runner = new RecordingRunner();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(time).AddSingleton<ICommandRunner>(runner)
            .AddSingleton<INftables>(new RecordingNftables(runner, new FakeNftKernel()))
            .AddSingleton<ICapabilityProbe>(new FixedProbe("htb", "bfifo")).AddSingleton(new AgentIdentity("gw-reg", 1))
            .AddEnforcement(config);
        var dir = config.StateDirectory;
        Directory.CreateDirectory(dir);
        await File.WriteAllBytesAsync(Path.Combine(dir, "desired.json"), Documents.Json(Documents.Realistic(3)), Ct);
        await using var sp = services.BuildServiceProvider();
        var enforcer = sp.GetRequiredService<IEnforcer>();
        var expired = new TaskCompletionSource<ReportedState>(TaskCreationOptions.RunContinuationsAsynchronously);
        enforcer.Reported += r => { if (r.Policies.Any(p => p.Outcome == PolicyOutcome.Expired)) { expired.TrySetResult(r); } };
        var service = sp.GetServices<IHostedService>().Single();

        await service.StartAsync(Ct);
        Assert.Equal(3, enforcer.CurrentReport.ObservedGeneration);
        time.Advance(TimeSpan.FromMinutes(61));
        var report = await expired.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await service.StopAsync(Ct);

        Assert.Equal(PolicyOutcome.Expired, report.Policies.Single(p => p.Id == "qod-tcp").Outcome);
        Assert.DoesNotContain(runner.Drain(), c => c.Args.Contains("del"));
        Directory.Delete(dir, recursive: true);
    }
}
