using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// One whole deployment in miniature: the namespace lab (tests/lab/lab.sh), the real controller in-process
/// with its broker on the lab's host-side address, and the real agent in the gateway namespace, registered
/// through the admin API and online with both LAN clients in its inventory. Disposing removes all of it,
/// also after a failure half-way.
/// </summary>
public sealed partial class LabRig : IAsyncDisposable
{
    private const string Password = "lab-agent-password-1";
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("cqx-state-");
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"cqx-{Guid.NewGuid():N}.db");
    private readonly int _uplinkKbps;
    private readonly string[] _agentArgs;
    private readonly IReadOnlyDictionary<string, string> _controllerSettings;
    private LabController? _controller;
    private HttpClient? _admin;
    private HttpClient? _api;

    private LabRig(TestLab lab, int uplinkKbps, string[] agentArgs, IReadOnlyDictionary<string, string> controllerSettings)
    {
        Lab = lab;
        _uplinkKbps = uplinkKbps;
        _agentArgs = agentArgs;
        _controllerSettings = controllerSettings;
        MqttPort = LabController.FreePort(lab.HostSide);
    }

    public TestLab Lab { get; }

    public string AgentId { get; } = "cqx-gw-" + Guid.NewGuid().ToString("N")[..8];

    public int MqttPort { get; }

    public GatewayAgent? Agent { get; private set; }

    public string Lan2 => Lab.Address(2, 11);

    /// <param name="labArgs">Options of <c>lab.sh up</c> (<c>--bottleneck-kbit</c>, <c>--delay-bytes</c>).</param>
    /// <param name="agentArgs">More agent keys (<c>--Agent:TelemetryIntervalSeconds=2</c>).</param>
    /// <param name="controllerSettings">More controller keys, over the lab's own.</param>
    public static async Task<LabRig> UpAsync(string prefix, int block, int uplinkKbps = 20000, string[]? labArgs = null,
        string[]? agentArgs = null, IReadOnlyDictionary<string, string>? controllerSettings = null)
    {
        var lab = await TestLab.UpAsync(prefix, block, labArgs ?? []);
        LabRig rig;
        try
        {
            rig = new LabRig(lab, uplinkKbps, agentArgs ?? [], controllerSettings ?? new Dictionary<string, string>());
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
        try
        {
            await rig.StartControllerAsync();
            (await rig._admin!.PutAsJsonAsync($"/admin/v1/agents/{rig.AgentId}", new { password = Password })).EnsureSuccessStatusCode();
            rig.StartAgent();
            await rig.WaitOnlineAsync();
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>The controller on the rig's SQLite file and broker port (a second call is a restart).</summary>
    public async Task StartControllerAsync()
    {
        _controller = new LabController(Lab.HostSide, MqttPort, _database, _controllerSettings);
        _ = _controller.Server;
        _admin = await _controller.ClientAsync("sandbox-admin", "sandbox-admin-secret");
        _api = await _controller.ClientAsync("sandbox-client", "sandbox-secret");
    }

    public async Task StopControllerAsync()
    {
        _admin?.Dispose();
        _api?.Dispose();
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
            _controller = null;
        }
    }

    public GatewayAgent StartAgent()
    {
        Agent?.Dispose();   // a previous (killed) agent process: never two agents on one gateway
        Agent = GatewayAgent.Start(Lab, AgentId, Password, MqttPort, _state.FullName, _uplinkKbps, _agentArgs);
        return Agent;
    }

    /// <summary>Online, reporting the gateway's WAN address, with both LAN clients in its inventory (they ping the gateway).</summary>
    public async Task WaitOnlineAsync()
    {
        await Until.TrueAsync(async () => await AgentAsync() is { } a && a.GetProperty("online").GetBoolean(), "the agent online", 60);
        foreach (var client in (string[])["lan1", "lan2"])
        {
            (await Lab.ExecAsync(client, "ping", "-c", "1", "-W", "2", Lab.Address(2, 1))).EnsureSuccess($"ping {client} → gateway");
        }
        await Until.TrueAsync(async () => await AgentAsync() is { } a && Inventory(a).Contains(Lab.Lan1) && Inventory(a).Contains(Lan2),
            "both LAN clients in the agent's inventory", 30);
        var agent = (await AgentAsync())!.Value;
        Xunit.Assert.Contains(Lab.GatewayWan, agent.GetProperty("wanAddresses").GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>This agent as GET /admin/v1/agents lists it.</summary>
    public async Task<JsonElement?> AgentAsync()
    {
        var all = await _admin!.GetFromJsonAsync<JsonElement>("/admin/v1/agents");
        return all.EnumerateArray().Where(a => a.GetProperty("agentId").GetString() == AgentId).Cast<JsonElement?>().FirstOrDefault();
    }

    private static string[] Inventory(JsonElement agent) =>
        [.. agent.GetProperty("inventory").EnumerateArray().Select(d => d.GetProperty("ip").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            Agent?.Dispose();
            await StopControllerAsync();
        }
        finally
        {
            await Lab.DisposeAsync();
            _state.Delete(recursive: true);
            LabController.DeleteDatabase(_database);
        }
    }
}
