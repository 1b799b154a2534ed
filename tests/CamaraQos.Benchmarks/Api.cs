using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CamaraQos.Benchmarks;

/// <summary>The controller's HTTP API as the load driver calls it: one pooled client per API client id.</summary>
public sealed class Api(HttpClient http) : IDisposable
{
    public const string SessionsPath = "/quality-on-demand/v1/sessions";

    /// <summary>The trivial endpoint: same host, same token, authorization and rate limiter, no session work.</summary>
    public const string TrivialPath = "/qos-profiles/v1/qos-profiles/QOS_E";

    public HttpClient Http => http;

    public static HttpClient Pooled(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>client_credentials at the embedded authorization server (sandbox clients, docs/ARCHITECTURE.md §8).</summary>
    public static async Task<Api> LoginAsync(Uri baseAddress, int connections, string clientId, string secret)
    {
        var http = Pooled(baseAddress, connections);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await http.PostAsync("/oauth2/token", form);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Api(http);
    }

    public static object SessionBody(string publicAddress, string server) => new
    {
        device = new { ipv4Address = new { publicAddress, privateAddress = Fleet.LanDeviceIp } },
        applicationServer = new { ipv4Address = server },
        qosProfile = "QOS_E",
        duration = 600,
    };

    /// <summary>POST a session; the id and the status the 201 reported, or an exception naming what came back.</summary>
    public async Task<(string Id, string Status)> CreateAsync(object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(SessionsPath, body, ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"create: {(int)response.StatusCode} {json}");
        }
        return (json.GetProperty("sessionId").GetString()!, json.GetProperty("qosStatus").GetString()!);
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"{SessionsPath}/{id}", ct);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"delete: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    public async Task<string> StatusAsync(string id, CancellationToken ct) =>
        (await http.GetFromJsonAsync<JsonElement>($"{SessionsPath}/{id}", ct)).GetProperty("qosStatus").GetString()!;

    /// <summary>For a session the 201 left REQUESTED: poll until AVAILABLE (bounded), return when it was seen.</summary>
    public async Task<TimeSpan> PollAvailableAsync(string id, Stopwatch since, TimeSpan timeout, CancellationToken ct)
    {
        while (since.Elapsed < timeout)
        {
            var status = await StatusAsync(id, ct);
            if (status == "AVAILABLE")
            {
                return since.Elapsed;
            }
            if (status != "REQUESTED")
            {
                throw new InvalidOperationException($"session {id} went {status} instead of AVAILABLE");
            }
            await Task.Delay(5, ct);
        }
        throw new TimeoutException($"session {id} not AVAILABLE within {timeout}");
    }

    public async Task TrivialAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync(TrivialPath, HttpCompletionOption.ResponseContentRead, ct);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();
}
