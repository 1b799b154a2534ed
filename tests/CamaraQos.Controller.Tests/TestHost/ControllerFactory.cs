using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CamaraQos.Controller.Tests.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;

namespace CamaraQos.Controller.Tests.TestHost;

/// <summary>
/// The controller in-process for a test: its own SQLite file (deleted on dispose), its own free MQTT
/// port, configuration overrides, test authentication (<see cref="TestAuthentication"/>), and clients
/// whose every response is checked against the CAMARA specs (<see cref="ContractRecordingHandler"/>).
/// </summary>
public sealed class ControllerFactory : WebApplicationFactory<Program>
{
    public ControllerFactory()
    {
        DatabasePath = Path.Combine(Path.GetTempPath(), $"camaraqos-test-{Guid.NewGuid():N}.db");
        Settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            // No pooling, so the file is closed (and deletable) as soon as each connection is.
            ["Storage:ConnectionString"] = $"Data Source={DatabasePath};Pooling=False",
            ["Mqtt:BindAddress"] = "127.0.0.1",
            ["Mqtt:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:Enabled"] = "false",
        };
    }

    /// <summary>
    /// Configuration overrides (highest precedence, as command-line <c>--Key=value</c> would be). Change
    /// them before the first client or <c>Services</c> call starts the host:
    /// <c>new ControllerFactory { Settings = { ["RateLimiting:PermitLimit"] = "1" } }</c>.
    /// </summary>
    public IDictionary<string, string?> Settings { get; }

    public string DatabasePath { get; }

    /// <summary>
    /// True (default): callers are <see cref="TestCaller"/>s through <see cref="TestAuthentication"/>.
    /// False: the controller's own bearer validation runs, and clients get real tokens from the embedded
    /// authorization server (<see cref="CreateTokenClientAsync"/>).
    /// </summary>
    public bool UseTestAuthentication { get; init; } = true;

    /// <summary>Replaces or adds services after the controller's own (ConfigureTestServices).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices { get; init; }

    /// <summary>Every response any client of this factory received, in order, with what was wrong.</summary>
    public ConcurrentQueue<ContractEntry> Contract { get; } = new();

    /// <summary>
    /// A client checked against the specs, speaking as <paramref name="caller"/> (anonymous when null).
    /// Credentials are applied in one place, so moving to real tokens is a change here only.
    /// </summary>
    public HttpClient CreateCamaraClient(TestCaller? caller = null)
    {
        var client = CreateDefaultClient(new ContractRecordingHandler(Contract));
        if (caller is not null)
        {
            TestAuthentication.Apply(client, caller);
        }
        return client;
    }

    /// <summary>
    /// A client checked against the specs carrying a real access token: client_credentials at
    /// <c>POST /oauth2/token</c> (with <c>Sandbox:Enabled=true</c>, e.g. <c>sandbox-client</c>/<c>sandbox-secret</c>).
    /// </summary>
    public async Task<HttpClient> CreateTokenClientAsync(string clientId, string clientSecret, string? scope = null)
    {
        using var tokenClient = CreateCamaraClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        using var response = await tokenClient.PostAsync("/oauth2/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        var token = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var client = CreateCamaraClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (UseTestAuthentication)
        {
            builder.ConfigureTestServices(TestAuthentication.Register);
        }
        if (TestServices is { } services)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteDatabase();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteDatabase();
    }

    private void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
