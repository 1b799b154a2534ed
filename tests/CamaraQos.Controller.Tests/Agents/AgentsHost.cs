using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace CamaraQos.Controller.Tests.Agents;

/// <summary>
/// The whole controller with its embedded broker on a free port, a SQLite file of the test's own, an
/// admin API client, and a <see cref="RecordingObserver"/> to await what agents sent.
/// </summary>
public sealed class AgentsHost : WebApplicationFactory<Program>
{
    public const string AdminClient = "agents-test-admin";
    public const string AdminSecret = "agents-test-admin-secret-of-32-chars-or-more";
    private readonly string _database;
    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">configuration over the defaults here, e.g. an external broker</param>
    public AgentsHost(TempDatabase database, Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _database = database.Path;
        _services = services;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public RecordingObserver Observer => Services.GetRequiredService<RecordingObserver>();
    public MqttEndpoint Endpoint => Services.GetRequiredService<MqttEndpoint>();
    public AgentDirectory Directory => Services.GetRequiredService<AgentDirectory>();
    public IDesiredStatePublisher Publisher => Services.GetRequiredService<IDesiredStatePublisher>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mqtt:Port", "0");
        builder.UseSetting("Storage:ConnectionString", $"Data Source={_database}");
        builder.UseSetting("Auth:Clients:0:ClientId", AdminClient);
        builder.UseSetting("Auth:Clients:0:ClientSecret", AdminSecret);
        builder.UseSetting("Auth:Clients:0:Scopes", "camaraqos:admin");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<RecordingObserver>();
            s.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<RecordingObserver>());
            _services?.Invoke(s);
        });
    }

    /// <summary>Starts the host and waits until the controller's own MQTT session is subscribed.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        _ = Server;
        await Services.GetRequiredService<ControllerMqttClient>().WaitConnectedAsync(ct);
    }

    public async Task<HttpClient> AdminAsync(CancellationToken ct)
    {
        var http = CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = AdminClient,
            ["client_secret"] = AdminSecret,
        });
        using var response = await http.PostAsync("/oauth2/token", form, ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Registers an agent the way an operator does, through the admin API.</summary>
    public async Task RegisterAsync(string agentId, string password, CancellationToken ct)
    {
        using var admin = await AdminAsync(ct);
        using var response = await admin.PutAsJsonAsync($"/admin/v1/agents/{agentId}", new { password }, ct);
        response.EnsureSuccessStatusCode();
    }

    public MqttClientOptions MqttOptionsFor(string clientId, string user, string password) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(Endpoint.Host, Endpoint.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(user, password)
            .Build();

    public static AgentStatus Birth(string agentId, long bootEpoch, bool online = true) =>
        new(global::CamaraQos.Shared.Contract.SchemaVersion, agentId, online, bootEpoch, "test/1",
            new AgentCapabilities(["htb"], ["u32"], true, true, true),
            new WanAddresses(["203.0.113.7"], ["2001:db8:99::/56"]),
            ["192.168.7.0/24"],
            [new LanDevice("192.168.7.20", "02:00:00:00:07:20", "wlan0", "5GHz"), new LanDevice("192.168.7.21", "02:00:00:00:07:21", "eth1", null)],
            DateTimeOffset.UtcNow);
}

/// <summary>A SQLite file that outlives one host (restart tests) and is removed with the test.</summary>
public sealed class TempDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"camaraqos-agents-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
