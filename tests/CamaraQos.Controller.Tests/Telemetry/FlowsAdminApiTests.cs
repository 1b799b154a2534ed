using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Tests.Agents;
using Xunit;

namespace CamaraQos.Controller.Tests.Telemetry;

/// <summary>GET /admin/v1/agents/{agentId}/flows, fed by an agent publishing over the real embedded broker.</summary>
public sealed class FlowsAdminApiTests : IAsyncLifetime
{
    private const string Password = "flows-test-password";
    private readonly TempDatabase _db = new();
    private AgentsHost _host = null!;
    private SimulatedAgent _agent = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new AgentsHost(_db);
        await _host.StartAsync(Ct);
        await _host.RegisterAsync("gw-f", Password, Ct);
        _agent = new SimulatedAgent(AgentsHost.Birth("gw-f", 1), Password);
        await _agent.StartAsync(_host.Endpoint.Host, _host.Endpoint.Port, Ct);
        await _host.Observer.WaitAsync(s => s.Kind == "status" && s.Agent.Online, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _host.DisposeAsync();
        _db.Dispose();
    }

    private async Task PublishAsync(CamaraQos.Shared.TelemetryReport report)
    {
        await _agent.PublishTelemetryAsync(report, Ct);
        await _host.Observer.WaitAsync(s => s.Kind == "telemetry" && ((CamaraQos.Shared.TelemetryReport)s.Message!).To == report.To, Ct);
    }

    [Fact]
    public async Task TheLatestAggregateOfEachFlowIsListedWithTheDocumentedFields()
    {
        await PublishAsync(Reports.Of("gw-f",
            Reports.Flow("192.168.7.20", "203.0.113.10", wanP95: 30),
            Reports.Flow("192.168.7.21", "198.51.100.99", port: 8443, samples: 7)));
        await PublishAsync(Reports.Of("gw-f", Reports.Flow("192.168.7.20", "203.0.113.10", wanP95: 44, retransmissions: 3)));

        using var admin = await _host.AdminAsync(Ct);
        var flows = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents/gw-f/flows", Ct);
        Assert.Equal(2, flows.GetArrayLength());
        var first = flows[0];
        Assert.Equal(
            ["device", "server", "serverPort", "protocol", "lanRttMs", "wanRttMs", "jitterMs", "retransmissions", "bytesUp", "bytesDown",
             "throughputUpKbps", "throughputDownKbps", "samples", "updatedAt"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("192.168.7.20", first.GetProperty("device").GetString());
        Assert.Equal(44, first.GetProperty("wanRttMs").GetProperty("p95").GetDouble());
        Assert.Equal(22, first.GetProperty("wanRttMs").GetProperty("p50").GetDouble());
        Assert.Equal(3, first.GetProperty("retransmissions").GetInt64());
        Assert.Equal(100, first.GetProperty("samples").GetInt32());
        Assert.Equal(["p50", "p95"], first.GetProperty("lanRttMs").EnumerateObject().Select(p => p.Name));
        var second = flows[1];
        Assert.Equal(8443, second.GetProperty("serverPort").GetInt32());
        Assert.Equal(14, second.GetProperty("samples").GetInt32());
        Assert.True(second.GetProperty("updatedAt").GetDateTimeOffset() <= first.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AFlowWithoutRttSamplesShowsNullPercentiles()
    {
        var flow = Reports.Flow("192.168.7.20", "203.0.113.10") with { LanRttMs = null, WanRttMs = null, JitterMs = null };
        await PublishAsync(Reports.Of("gw-f", flow));
        using var admin = await _host.AdminAsync(Ct);
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents/gw-f/flows", Ct))[0];
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lanRttMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("jitterMs").ValueKind);
        Assert.Equal(0, listed.GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task AnAgentWithoutTelemetryHasNoFlowsAndAnUnknownAgentIsNotFound()
    {
        using var admin = await _host.AdminAsync(Ct);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents/gw-f/flows", Ct)).GetArrayLength());
        var unknown = await admin.GetAsync("/admin/v1/agents/gw-nope/flows", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NOT_FOUND", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task FlowsNeedTheAdminScope()
    {
        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/agents/gw-f/flows", Ct)).StatusCode);
    }
}
