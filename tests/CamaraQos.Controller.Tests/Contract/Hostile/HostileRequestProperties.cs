using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CamaraQos.Controller.Tests.Health;
using CamaraQos.Controller.Tests.QualityOnDemand;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract.Hostile;

/// <summary>The sandbox controller with tokens for every kind of sender, its logs captured, its limits out of the way.</summary>
public sealed class HostileHost : IAsyncLifetime
{
    internal CapturedLogs Logs { get; } = new();
    public QodHost Host { get; }
    private readonly Dictionary<Sender, HttpClient> _clients = [];

    public HostileHost() => Host = new QodHost(
        settings: new Dictionary<string, string?> { ["RateLimiting:PermitLimit"] = "100000000", ["RateLimiting:AddressPermitLimit"] = "100000000" },
        services: s => s.AddSingleton<ILoggerProvider>(Logs));

    public HttpClient Client(Sender sender) => _clients[sender];

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        _clients[Sender.Anonymous] = Host.CreateClient();
        _clients[Sender.TwoLegged] = await Host.ClientAsync(checkContract: false);
        _clients[Sender.Admin] = await Host.ClientAsync("sandbox-admin", "sandbox-admin-secret", checkContract: false);
        using var threeLegged = await Host.ThreeLeggedClientAsync("tel:+34600000001");
        _clients[Sender.ThreeLegged] = Host.CreateClient();
        _clients[Sender.ThreeLegged].DefaultRequestHeaders.Authorization = threeLegged.DefaultRequestHeaders.Authorization;
    }

    /// <summary>Every row a request could create, change or remove (agents and signing keys change on their own).</summary>
    public async Task<string> StateAsync()
    {
        string[] tables = ["application_profiles", "ciba_requests", "home_device_qos", "insights_subscriptions", "notification_outbox",
            "qod_sessions", "qos_assignments", "subscriber_identifiers", "subscribers"];
        await using var db = new SqliteConnection($"Data Source={Host.DatabasePath};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        var state = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }
            rows.Sort(StringComparer.Ordinal);
            state.Append(table).Append(": ").AppendJoin('\n', rows).Append('\n');
        }
        return state.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await Host.DisposeAsync();
    }
}

/// <summary>
/// Issue 14: generated bad requests, at least 10,000 per served API (CAMARAQOS_HOSTILE_REQUESTS sets another
/// count, CAMARAQOS_HOSTILE_SEED replays a run). Each is invalid by construction (<see cref="Operation"/>,
/// <see cref="OAuth"/>); every answer must be a 4xx error body with the correlator and nothing of .NET in
/// it, no request may change stored state, and nothing may be logged as an error.
/// </summary>
public sealed partial class HostileRequestProperties(HostileHost fixture) : IClassFixture<HostileHost>
{
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("CAMARAQOS_HOSTILE_REQUESTS"), out var n) ? n : 10_000;

    public static TheoryData<string> Apis => [.. Catalogue.Apis];

    [GeneratedRegex(@"System\.|Microsoft\.|CamaraQos\.|LineNumber|BytePosition|Path: \$|Exception|\bat [A-Z][A-Za-z]+\.[A-Z]|\.cs:line")]
    private static partial Regex Internals();

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task BadRequestsAreRefusedWithAnErrorBodyAndChangeNothing(string api)
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("CAMARAQOS_HOSTILE_SEED"), out var s) ? s : (ulong)Random.Shared.NextInt64();
        var requests = Catalogue.For(api).Sample(Count, new Rnd(seed), 30);
        var before = await fixture.StateAsync();
        var logsBefore = fixture.Logs.Entries.Count;
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Length), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (i, ct) =>
            {
                var (status, failure) = await CheckAsync(requests[i], $"hostile-{i}", ct);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (failure is not null)
                {
                    failures.Enqueue($"{failure}\n    {requests[i]}");
                }
            });

        var after = await fixture.StateAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{api}: {requests.Length} requests in {clock.Elapsed.TotalSeconds:F1} s, seed {seed}; statuses {string.Join(", ", statuses.OrderBy(x => x.Key).Select(x => $"{x.Key}×{x.Value}"))}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Length} answered wrongly (seed {seed}):\n{string.Join('\n', failures.Take(15))}");
        Assert.Equal(before, after);
        // Client mistakes are Debug; an error or a framework warning means one was taken for ours.
        var loud = fixture.Logs.Entries.Skip(logsBefore)
            .Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)))
            .Take(5).ToList();
        Assert.True(loud.Count == 0, string.Join('\n', loud.Select(e => $"{e.Level} {e.Category}: {Short(e.Message)}")));
    }

    /// <summary>The status, and what is wrong with the answer (null when nothing).</summary>
    private async Task<(int Status, string? Failure)> CheckAsync(HostileRequest request, string correlator, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        message.Headers.Add("x-correlator", correlator);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await fixture.Client(request.Sender).SendAsync(message, ct);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        return (status, Judge(request, response, status, text, correlator));
    }

    private static string? Judge(HostileRequest request, HttpResponseMessage response, int status, string text, string correlator)
    {
        if (status is < 400 or > 499)
        {
            return $"status {status}: {Short(text)}";
        }
        if (!response.Headers.TryGetValues("x-correlator", out var echoed) || echoed.Single() != correlator)
        {
            return $"status {status} without x-correlator {correlator}";
        }
        if (text.Length > 2048 || Internals().IsMatch(text))
        {
            return $"status {status}, body of {text.Length} characters or with internals: {Short(text)}";
        }
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"status {status}, body not JSON: {Short(text)}";
        }
        var isErrorInfo = body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
            && body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
            && body.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString()!.Length <= 512;
        var isOAuthError = request.Path.StartsWith("/oauth2/", StringComparison.Ordinal) && body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            && (!body.TryGetProperty("error_description", out var d) || (d.ValueKind == JsonValueKind.String && d.GetString()!.Length <= 512));
        return isErrorInfo || isOAuthError ? null : $"status {status}, not an error body: {Short(text)}";
    }

    private static string Short(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
