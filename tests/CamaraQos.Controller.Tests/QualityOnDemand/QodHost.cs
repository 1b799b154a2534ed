using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

/// <summary>
/// The real controller on embedded defaults: sandbox fleet on a free MQTT port, a temp SQLite file,
/// real tokens from the embedded authorization server. Two hosts on the same file model a restart.
/// </summary>
public sealed class QodHost(string? databasePath = null, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public string DatabasePath { get; } = databasePath ?? Path.Combine(Path.GetTempPath(), $"camaraqos-test-{Guid.NewGuid():N}.db");

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
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client holding a client_credentials token of the given sandbox client.</summary>
    public async Task<HttpClient> ClientAsync(string clientId = "sandbox-client", string secret = "sandbox-secret")
    {
        var client = CreateClient();
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
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
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
