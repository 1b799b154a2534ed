using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Tests.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using CamaraQos.Controller.Telemetry;
using CamaraQos.Controller.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

/// <summary>
/// The real controller on embedded defaults: sandbox fleet on a free MQTT port, a temp SQLite file,
/// real tokens from the embedded authorization server. Two hosts on the same file model a restart.
/// </summary>
/// <param name="services">Test service overrides (a FakeTimeProvider, say), applied after the controller's own.</param>
public sealed class QodHost(string? databasePath = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public string DatabasePath { get; } = databasePath ?? NewDatabasePath();

    /// <summary>A host given a path shares it (a restart) and leaves it for the caller to delete.</summary>
    private readonly bool _ownsDatabase = databasePath is null;

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"camaraqos-test-{Guid.NewGuid():N}.db");

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Sandbox:Enabled", "true");
        builder.UseSetting("Storage:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Mqtt:Port", "0");
        builder.UseSetting("Notifications:AllowHttpSinks", "true");
        builder.UseSetting("Notifications:AllowPrivateSinks", "true");
        builder.UseSetting("QualityOnDemand:ConfirmTimeoutSeconds", "2");
        builder.UseSetting("QualityOnDemand:SynchronousConfirmMilliseconds", "10000");
        builder.UseSetting("RateLimiting:PermitLimit", "100000");
        // Tests publish the telemetry they judge; the sandbox's own would mix into their windows.
        builder.UseSetting("Sandbox:TelemetryIntervalSeconds", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            // Registered after the controller's listeners, so it fires once they have judged a report.
            s.AddSingleton<TelemetryProbe>();
            s.AddSingleton<ITelemetryListener>(sp => sp.GetRequiredService<TelemetryProbe>());
            services?.Invoke(s);
        });
    }

    /// <summary>Every response this client sees is checked against the CAMARA spec (fails the call otherwise).</summary>
    public HttpClient CreateCheckedClient() => CreateDefaultClient(new ContractRecordingHandler());

    /// <summary>A client holding a client_credentials token of the given sandbox client.</summary>
    /// <param name="checkContract">False only where a lab flag (http sinks) takes responses outside the spec on purpose.</param>
    public async Task<HttpClient> ClientAsync(string clientId = "sandbox-client", string secret = "sandbox-secret", bool checkContract = true)
    {
        var client = checkContract ? CreateCheckedClient() : CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        var response = await client.PostAsync("/oauth2/token", form);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A 3-legged token for a sandbox subscriber through CIBA (approved at once in the sandbox).</summary>
    public async Task<HttpClient> ThreeLeggedClientAsync(string loginHint)
    {
        var client = CreateCheckedClient();
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-client:sandbox-secret"u8.ToArray()));
        using var authorize = new HttpRequestMessage(HttpMethod.Post, "/oauth2/bc-authorize")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["login_hint"] = loginHint, ["scope"] = "openid" }),
        };
        authorize.Headers.Authorization = basic;
        var pending = await (await client.SendAsync(authorize)).Content.ReadFromJsonAsync<JsonElement>();
        using var token = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:openid:params:grant-type:ciba",
                ["auth_req_id"] = pending.GetProperty("auth_req_id").GetString()!,
            }),
        };
        token.Headers.Authorization = basic;
        var response = await client.SendAsync(token);
        response.EnsureSuccessStatusCode();
        var accessToken = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Waits until the simulated gateways have announced themselves.</summary>
    public async Task FleetOnlineAsync(params string[] agentIds)
    {
        _ = Server;
        var directory = Services.GetRequiredService<IAgentDirectory>();
        await Eventually.TrueAsync(() => agentIds.All(id => directory.Find(id)?.Online == true), "sandbox agents online");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }
}

/// <summary>Await a condition with a deadline (no fixed sleeps): polls briefly, fails with the reason.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 10_000) =>
        await TrueAsync(() => Task.FromResult(condition()), what, timeoutMs);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeoutMs} ms waiting for {what}.");
            }
            await Task.Delay(25);
        }
    }
}
