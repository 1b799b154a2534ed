using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>The control channel against a real in-process MQTT 5 broker.</summary>
public class ControlChannelTests
{
    private const string Desired = """{"schemaVersion":1,"generation":GEN,"issuedAt":"2026-01-01T00:00:00Z","policies":[],"monitors":[]}""";

    private static string DesiredAt(long generation) => Desired.Replace("GEN", generation.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [Fact]
    public async Task BirthIsRetainedWithTheBootEpochCapabilitiesAndInventory()
    {
        await using var broker = await Broker.StartAsync();
        var id = AgentUnderTest.NewId();
        var topic = Topics.Status(id);
        await using var live = await MqttProbe.SubscribeAsync(broker.Port, topic);
        await using var agent = await AgentUnderTest.StartAsync(broker.Port, id);
        await live.NextAsync(m => MqttProbe.Status(m).Online);

        await using var late = await MqttProbe.SubscribeAsync(broker.Port, topic);
        var birth = await late.NextAsync();

        Assert.True(birth.Retain);
        var status = MqttProbe.Status(birth);
        Assert.True(status.Online);
        Assert.Equal(agent.BootEpoch, status.BootEpoch);
        Assert.Equal(Contract.SchemaVersion, status.SchemaVersion);
        Assert.Equal(["htb", "bfifo"], status.Capabilities!.Qdiscs);
    }

    [Fact]
    public async Task KillingTheConnectionDeliversTheLastWillWithTheSameEpochThenTheAgentIsBornAgain()
    {
        await using var broker = await Broker.StartAsync();
        await using var relay = new TcpRelay(broker.Port);
        var id = AgentUnderTest.NewId();
        await using var probe = await MqttProbe.SubscribeAsync(broker.Port, Topics.Status(id));
        await using var agent = await AgentUnderTest.StartAsync(relay.Port, id);
        await probe.NextAsync(m => MqttProbe.Status(m).Online);

        relay.KillConnections();

        var will = MqttProbe.Status(await probe.NextAsync());
        Assert.False(will.Online);
        Assert.Equal(agent.BootEpoch, will.BootEpoch);
        var rebirth = MqttProbe.Status(await probe.NextAsync());
        Assert.True(rebirth.Online);
        Assert.Equal(agent.BootEpoch, rebirth.BootEpoch);
        Assert.Contains(agent.Log, l => l.Contains("Connected -> Disconnected: ", StringComparison.Ordinal));
        Assert.Contains(agent.Log, l => l.Contains("Disconnected -> Backoff", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingTheAgentPublishesItsWillWithTheSameEpoch()
    {
        await using var broker = await Broker.StartAsync();
        var id = AgentUnderTest.NewId();
        await using var probe = await MqttProbe.SubscribeAsync(broker.Port, Topics.Status(id));
        var agent = await AgentUnderTest.StartAsync(broker.Port, id);
        await probe.NextAsync(m => MqttProbe.Status(m).Online);
        var epoch = agent.BootEpoch;

        await agent.DisposeAsync();

        var will = MqttProbe.Status(await probe.NextAsync());
        Assert.False(will.Online);
        Assert.Equal(epoch, will.BootEpoch);
    }

    [Fact]
    public async Task AfterABrokerRestartTheAgentResubscribesAndAppliesANewRetainedDesired()
    {
        await using var broker = await Broker.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(broker.Port);
        var topic = Topics.Desired(agent.Settings.AgentId);
        await broker.InjectRetainedAsync(topic, DesiredAt(1));
        Assert.Equal(1, await NextSubmittedAsync(agent));

        // A brand-new broker: no session or subscription survives, so generation 2 reaches the agent only
        // if it subscribes again (retained: whether it reconnects before or after the injection).
        await broker.RestartAsync();
        await broker.InjectRetainedAsync(topic, DesiredAt(2));

        Assert.Equal(2, await NextSubmittedAsync(agent));
    }

    [Fact]
    public async Task EveryReportedEventIsPublishedRetained()
    {
        await using var broker = await Broker.StartAsync();
        var id = AgentUnderTest.NewId();
        var topic = Topics.Reported(id);
        await using var agent = await AgentUnderTest.StartAsync(broker.Port, id);
        await using (var live = await MqttProbe.SubscribeAsync(broker.Port, topic))
        {
            agent.Enforcer.Raise(FakeEnforcer.Report(agent.Settings.AgentId, 7));
            await live.NextAsync(m => MqttProbe.Reported(m).ObservedGeneration == 7);
            agent.Enforcer.Raise(FakeEnforcer.Report(agent.Settings.AgentId, 8));
            await live.NextAsync(m => MqttProbe.Reported(m).ObservedGeneration == 8);
        }

        await using var late = await MqttProbe.SubscribeAsync(broker.Port, topic);
        var retained = await late.NextAsync();

        Assert.True(retained.Retain);
        Assert.Equal(8, MqttProbe.Reported(retained).ObservedGeneration);
        Assert.Equal("hash-8", MqttProbe.Reported(retained).KernelHash);
    }

    [Fact]
    public async Task AChangedInventoryRepublishesTheStatus()
    {
        await using var broker = await Broker.StartAsync();
        var id = AgentUnderTest.NewId();
        await using var probe = await MqttProbe.SubscribeAsync(broker.Port, Topics.Status(id));
        await using var agent = await AgentUnderTest.StartAsync(broker.Port, id);
        await probe.NextAsync(m => MqttProbe.Status(m).Online);
        var device = new LanDevice("10.213.102.10", "02:00:00:00:01:10", "lan0", null);

        agent.Network.Update(new NetworkSnapshot(["10.213.101.1"], [], ["10.213.102.0/24"], [device]));

        var status = MqttProbe.Status(await probe.NextAsync(m => MqttProbe.Status(m).Inventory is { Count: > 0 }));
        Assert.Equal(device, Assert.Single(status.Inventory!));
        Assert.Equal(["10.213.101.1"], status.Wan!.Ipv4);
        Assert.Equal(["10.213.102.0/24"], status.LanPrefixes);
    }

    private static async Task<long> NextSubmittedAsync(AgentUnderTest agent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await agent.Enforcer.Submitted.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task TheAgentAuthenticatesWithItsOwnIdAndPasswordAndBacksOffWhenRefused()
    {
        await using var broker = await Broker.StartAsync();
        var id = AgentUnderTest.NewId();
        broker.Credentials = (id, "right-password");
        await using var probe = await MqttProbe.SubscribeAsync(broker.Port, Topics.Status(id));

        await using (var refused = await AgentUnderTest.StartAsync(broker.Port, id, "wrong-password"))
        {
            await WaitForLogAsync(refused, "Disconnected -> Backoff: connect failed");
            Assert.Contains(refused.Log, l => l.Contains("BadUserNameOrPassword", StringComparison.Ordinal));
        }
        await using var accepted = await AgentUnderTest.StartAsync(broker.Port, id, "right-password");

        Assert.True(MqttProbe.Status(await probe.NextAsync(m => MqttProbe.Status(m).Online)).Online);
    }

    private static async Task WaitForLogAsync(AgentUnderTest agent, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!agent.Log.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            await timer.WaitForNextTickAsync(timeout.Token);
        }
    }
}
