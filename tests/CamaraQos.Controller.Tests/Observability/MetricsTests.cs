using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.Notifications;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.Observability;

public sealed class MetricsTests : IAsyncLifetime
{
    private readonly SpanLog _spans = new();
    private readonly LogCapture _logs = new();
    private QodHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = ObservedHost.Create(_spans, _logs);
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2", "sandbox-gw-offline");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static readonly string[] OwnMetrics =
    [
        "camaraqos_qod_sessions", "camaraqos_qos_assignments", "camaraqos_home_devices", "camaraqos_insights_subscriptions",
        "camaraqos_agents_online", "camaraqos_agents_registered",
        "camaraqos_notifications_pending", "camaraqos_notifications_failed", "camaraqos_notifications_oldest_pending_age_seconds",
        "camaraqos_mqtt_messages_total",
    ];

    [Fact]
    public async Task MetricsAnswerWithoutATokenInPrometheusTextWithTheControllersAndThePlatformsMeters()
    {
        using var anonymous = _host.CreateClient();
        using var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.All(OwnMetrics, name => Assert.True(scrape.Has(name), $"{name} missing"));
        Assert.Equal(3, scrape.Value("camaraqos_agents_registered"));
        Assert.Equal(3, scrape.Value("camaraqos_agents_online"));
        Assert.Equal(0, scrape.Value("camaraqos_qod_sessions", ("status", "AVAILABLE")));
        Assert.True(scrape.Value("camaraqos_mqtt_messages_total", ("kind", "status")) >= 3, "three births counted");
        // The platform's meters: ASP.NET Core (the scrape above, recorded once its response has ended, so
        // perhaps after the next scrape began), the .NET runtime.
        PrometheusText again = null!;
        await Eventually.TrueAsync(async () => (again = await _host.ScrapeAsync()).Value("http_server_request_duration_seconds_count", ("http_route", "/metrics")) >= 1,
            "the first scrape's request duration", timeoutMs: 30_000);
        Assert.True(again.Has("dotnet_gc_heap_total_allocated_bytes_total"));
        Assert.True(again.Has("dotnet_process_cpu_time_seconds_total"));
    }

    [Fact]
    public async Task ASessionsLifeCycleMovesEveryValueItTouches()
    {
        await using var sink = await SinkRecorder.StartAsync();
        using var client = await _host.ClientAsync(checkContract: false);
        var before = await _host.ScrapeAsync();

        var id = await CreateSessionAsync(client, sink.Url, "metrics-life-1");
        await Eventually.TrueAsync(() => sink.EventsFor(id).Any(), "the AVAILABLE notification");
        await WaitForAsync(after =>
            after.Value("camaraqos_qod_sessions", ("status", "AVAILABLE")) == before.Value("camaraqos_qod_sessions", ("status", "AVAILABLE")) + 1
            && after.Value("camaraqos_notifications_pending") == 0
            && after.Value("http_client_request_duration_seconds_count") > before.Value("http_client_request_duration_seconds_count"),
            "AVAILABLE counted, the notification delivered by HTTP");
        var available = await _host.ScrapeAsync();
        Assert.Equal(before.Value("camaraqos_qod_session_confirm_duration_seconds_count") + 1, available.Value("camaraqos_qod_session_confirm_duration_seconds_count"));
        Assert.True(available.Value("camaraqos_qod_session_confirm_duration_seconds_sum") > before.Value("camaraqos_qod_session_confirm_duration_seconds_sum"));
        // Create, then the confirmation's republish: two documents, each applied by the gateway.
        Assert.True(available.Value("camaraqos_desired_published_total") >= before.Value("camaraqos_desired_published_total") + 1);
        Assert.True(available.Value("camaraqos_desired_outcomes_total", ("outcome", "applied")) >= before.Value("camaraqos_desired_outcomes_total", ("outcome", "applied")) + 1);
        Assert.True(available.Value("camaraqos_mqtt_messages_total", ("kind", "reported")) > before.Value("camaraqos_mqtt_messages_total", ("kind", "reported")));
        Assert.Equal(0, available.Value("camaraqos_desired_outcomes_total", ("outcome", "failed")));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/quality-on-demand/v1/sessions/{id}")).StatusCode);
        await Eventually.TrueAsync(() => sink.EventsFor(id).Count() == 2, "the DELETE_REQUESTED notification");
        await WaitForAsync(after =>
            after.Value("camaraqos_qod_sessions", ("status", "AVAILABLE")) == before.Value("camaraqos_qod_sessions", ("status", "AVAILABLE"))
            && after.Value("camaraqos_desired_published_total") > available.Value("camaraqos_desired_published_total")
            && after.Value("camaraqos_notifications_pending") == 0,
            "the session gone, its removal published");
    }

    [Fact]
    public async Task ANotificationTheSinkRefusesIsPendingWithAnAgeThenFailed()
    {
        await using var host = ObservedHost.Create(new SpanLog(), new LogCapture(), new Dictionary<string, string?>
        {
            ["Notifications:MaxAttempts"] = "2",
            // The retry waits 4-8 s: long enough to see the row pending, short enough to see it fail.
            ["Notifications:InitialBackoff"] = "00:00:08",
            ["Notifications:MaxBackoff"] = "00:00:08",
        });
        await host.FleetOnlineAsync("sandbox-gw-1");
        using var client = await host.ClientAsync(checkContract: false);
        var refusing = $"http://127.0.0.1:{TestSink.FreePort()}/events";

        await CreateSessionAsync(client, refusing, "metrics-refused-1");
        var pending = await WaitForAsync(host, s => s.Value("camaraqos_notifications_pending") == 1 && s.Value("camaraqos_notifications_oldest_pending_age_seconds") > 0,
            "the AVAILABLE notification waiting for its retry");
        Assert.Equal(0, pending.Value("camaraqos_notifications_failed"));
        await WaitForAsync(host, s => s.Value("camaraqos_notifications_failed") == 1 && s.Value("camaraqos_notifications_pending") == 0
            && s.Value("camaraqos_notifications_oldest_pending_age_seconds") == 0, "the notification abandoned", timeoutMs: 20_000);
    }

    internal static async Task<Guid> CreateSessionAsync(HttpClient client, string sink, string correlator)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/quality-on-demand/v1/sessions")
        {
            Content = JsonContent.Create(SessionLifecycleTests.Body(sink: sink)),
        };
        request.Headers.Add("x-correlator", correlator);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal("AVAILABLE", body.GetProperty("qosStatus").GetString());
        return body.GetProperty("sessionId").GetGuid();
    }

    private Task<PrometheusText> WaitForAsync(Func<PrometheusText, bool> condition, string what) => WaitForAsync(_host, condition, what);

    private static async Task<PrometheusText> WaitForAsync(QodHost host, Func<PrometheusText, bool> condition, string what, int timeoutMs = 10_000)
    {
        PrometheusText? last = null;
        await Eventually.TrueAsync(async () => condition(last = await host.ScrapeAsync()), what, timeoutMs);
        return last!;
    }
}
