using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Auth;

/// <summary>
/// A controller host of its own per test: temp SQLite file, a free MQTT port, a fake clock, the
/// in-memory subscriber directory, and these clients (sandbox off unless asked).
/// </summary>
internal sealed class AuthHost : IAsyncDisposable
{
    public const string AppClient = "app";
    public const string AppSecret = "app-secret-long-enough-for-production-guard";
    public const string ReaderClient = "reader";
    public const string ReaderSecret = "reader-secret-long-enough-for-production-guard";
    public const string AdminClient = "operator";
    public const string AdminSecret = "operator-secret-long-enough-for-production-guard";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"camaraqos-auth-{Guid.NewGuid():N}.db");
    private readonly WebApplicationFactory<Program> _factory;

    /// <param name="realDirectory">Keep the Identity feature's subscriber store instead of the in-memory one.</param>
    public AuthHost(bool sandbox = false, IDictionary<string, string?>? settings = null, bool realDirectory = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={_database}",
            ["Mqtt:Mode"] = "Embedded",
            ["Mqtt:BindAddress"] = "127.0.0.1",
            ["Mqtt:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:Enabled"] = sandbox ? "true" : "false",
            ["Auth:Clients:0:ClientId"] = AppClient,
            ["Auth:Clients:0:ClientSecret"] = AppSecret,
            ["Auth:Clients:0:Scopes"] = string.Join(' ', Scopes.Camara),
            ["Auth:Clients:1:ClientId"] = ReaderClient,
            ["Auth:Clients:1:ClientSecret"] = ReaderSecret,
            ["Auth:Clients:1:Scopes"] = string.Join(' ', Scopes.Read),
            ["Auth:Clients:2:ClientId"] = AdminClient,
            ["Auth:Clients:2:ClientSecret"] = AdminSecret,
            ["Auth:Clients:2:Scopes"] = Scopes.Admin,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureTestServices(services =>
            {
                KeepOnlyTheHostedServicesAuthNeeds(services);
                services.AddSingleton<TimeProvider>(Time);
                if (!realDirectory)
                {
                    services.AddSingleton<ISubscriberDirectory, InMemorySubscribers>();
                }
            });
        });
        Http = _factory.CreateClient();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    public HttpClient Http { get; }
    public IServiceProvider Services => _factory.Services;

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    public Task<HttpResponseMessage> PostForm(string path, AuthenticationHeaderValue? auth, params (string Key, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))) };
        request.Headers.Authorization = auth;
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A client_credentials token; fails the test if the server refuses.</summary>
    public async Task<string> Token(string id, string secret, string? scope = null)
    {
        var fields = new List<(string, string)> { ("grant_type", "client_credentials") };
        if (scope is not null)
        {
            fields.Add(("scope", scope));
        }
        using var response = await PostForm("/oauth2/token", Basic(id, secret), [.. fields]);
        var body = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> Get(string path, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a CAMARA ErrorInfo body (never problem+json) with this status and code.</summary>
    public static async Task AssertErrorInfo(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json(response);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    /// <summary>Asserts an RFC 6749 §5.2 error body.</summary>
    public static async Task AssertOAuthError(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await Json(response);
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error_description").GetString()));
    }

    /// <summary>
    /// Auth needs the tables (Storage) and the sandbox subscribers (Sandbox), not the MQTT side or the
    /// QoD and notification loops, whose start and stop would only make these tests depend on them.
    /// </summary>
    private static void KeepOnlyTheHostedServicesAuthNeeds(IServiceCollection services)
    {
        string[] kept = ["CamaraQos.Controller.Storage", "CamaraQos.Controller.Sandbox", "CamaraQos.Controller.Auth"];
        var dropped = services.Where(d => d.ServiceType == typeof(IHostedService)
            && (d.ImplementationType ?? d.ImplementationFactory?.Method.DeclaringType)?.Namespace is { } ns
            && ns.StartsWith("CamaraQos.Controller", StringComparison.Ordinal) && !kept.Contains(ns)).ToList();
        foreach (var descriptor in dropped)
        {
            services.Remove(descriptor);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
