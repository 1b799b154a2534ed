using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// The real controller in-process (sandbox on for its admin and API clients, real tokens from the embedded
/// authorization server), its embedded broker bound to the lab's host-side management address so the agent
/// in the gateway namespace reaches it. Two instances on the same SQLite file and port model a restart.
/// </summary>
public sealed class LabController(string bindAddress, int mqttPort, string databasePath,
    IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public string BindAddress { get; } = bindAddress;

    public int MqttPort { get; } = mqttPort;

    public string DatabasePath { get; } = databasePath;

    /// <summary>A port free on <paramref name="address"/> now, so a restarted controller can listen on the same one.</summary>
    public static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Sandbox:Enabled", "true");
        builder.UseSetting("Storage:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Mqtt:BindAddress", BindAddress);
        builder.UseSetting("Mqtt:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("QualityOnDemand:SynchronousConfirmMilliseconds", "15000");
        builder.UseSetting("QualityOnDemand:ConfirmTimeoutSeconds", "30");
        builder.UseSetting("RateLimiting:PermitLimit", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client holding a client_credentials token (sandbox-client: every CAMARA scope; sandbox-admin: admin).</summary>
    public async Task<HttpClient> ClientAsync(string clientId, string secret)
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

    /// <summary>
    /// A 3-legged token through CIBA for <paramref name="loginHint"/> (e.g. <c>tel:+34...</c>): with the sandbox
    /// on, a subscriber bound through the admin API is approved at once (README, Quick tour).
    /// </summary>
    public async Task<HttpClient> ThreeLeggedClientAsync(string loginHint)
    {
        var client = CreateClient();
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-client:sandbox-secret"u8.ToArray()));
        using var authorize = new HttpRequestMessage(HttpMethod.Post, "/oauth2/bc-authorize")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["login_hint"] = loginHint, ["scope"] = "openid" }),
        };
        authorize.Headers.Authorization = basic;
        var pending = await (await client.SendAsync(authorize)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        using var token = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:openid:params:grant-type:ciba",
                ["auth_req_id"] = pending.GetProperty("auth_req_id").GetString()!,
            }),
        };
        token.Headers.Authorization = basic;
        var granted = await (await client.SendAsync(token)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", granted.GetProperty("access_token").GetString());
        return client;
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
