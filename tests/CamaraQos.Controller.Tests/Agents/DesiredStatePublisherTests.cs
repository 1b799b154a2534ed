using CamaraQos.Controller.Agents;
using CamaraQos.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public sealed class DesiredStatePublisherTests : IDisposable
{
    private const string Password = "publisher-test-password";
    private readonly TempDatabase _db = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    /// <summary>A feature with one active policy for every agent.</summary>
    private sealed class OnePolicy : IPolicySource
    {
        public Task<IReadOnlyList<Policy>> PoliciesForAsync(string agentId, DateTimeOffset now, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Policy>>(
            [
                new Policy($"test-{agentId}", PolicyKind.Flow, new FlowMatch("192.168.7.20", null, ["198.51.100.9"], null, null, FlowProtocol.Udp),
                    Directions.Both, Dscp.EF, TrafficClass.Priority, 2000, 2000, null, null, null, now.AddMinutes(10)),
            ]);
    }

    private AgentsHost Host() => new(_db, s => s.AddSingleton<IPolicySource, OnePolicy>());

    [Fact]
    public async Task GenerationsGrowAcrossARestartAndTheRetainedDocumentReachesALateSubscriber()
    {
        await using (var first = Host())
        {
            await first.StartAsync(Ct);
            await first.RegisterAsync("gw-p", Password, Ct);
            Assert.Equal(1, (await first.Publisher.PublishAsync("gw-p", Ct)).Generation);
            Assert.Equal(2, (await first.Publisher.PublishAsync("gw-p", Ct)).Generation);
        }

        await using var second = Host();
        await second.StartAsync(Ct);
        // Connects after the restart, before anything new is published: the broker reloaded generation 2.
        await using var agent = new SimulatedAgent(AgentsHost.Birth("gw-p", 1), Password);
        await agent.StartAsync(second.Endpoint.Host, second.Endpoint.Port, Ct);
        await agent.WaitForObservedAsync(2, Ct);
        Assert.Equal("test-gw-p", Assert.Single(agent.LastDesired!.Policies).Id);

        var third = await second.Publisher.PublishAsync("gw-p", Ct);
        Assert.Equal(3, third.Generation);
        await agent.WaitForObservedAsync(3, Ct);
        var reported = await second.Observer.WaitAsync(s => s.Kind == "reported" && s.Agent.ObservedGeneration == 3, Ct);
        Assert.Equal(3, reported.Agent.DesiredGeneration);
        Assert.Equal(PolicyOutcome.Applied, Assert.Single(((ReportedState)reported.Message!).Policies).Outcome);
    }

    [Fact]
    public async Task ConcurrentPublishesForOneAgentGetDistinctConsecutiveGenerations()
    {
        await using var host = Host();
        await host.StartAsync(Ct);
        await host.RegisterAsync("gw-c", Password, Ct);

        var documents = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Publisher.PublishAsync("gw-c", Ct)));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), documents.Select(d => d.Generation).Order());
        Assert.Equal(8, host.Directory.Find("gw-c")!.DesiredGeneration);
    }

    [Fact]
    public async Task AnAgentSubscribingAfterThePublishReceivesTheRetainedDocument()
    {
        await using var host = Host();
        await host.StartAsync(Ct);
        await host.RegisterAsync("gw-l", Password, Ct);
        var published = await host.Publisher.PublishAsync("gw-l", Ct);

        await using var agent = new SimulatedAgent(AgentsHost.Birth("gw-l", 1), Password);
        await agent.StartAsync(host.Endpoint.Host, host.Endpoint.Port, Ct);
        await agent.WaitForObservedAsync(published.Generation, Ct);

        Assert.Equal(published.Generation, agent.LastDesired!.Generation);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(published, ContractJson.Default.DesiredState),
            System.Text.Json.JsonSerializer.Serialize(agent.LastDesired, ContractJson.Default.DesiredState));
    }
}
