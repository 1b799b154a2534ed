using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using CamaraQos.Controller.Notifications;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed record StatusChanged(string SessionId, string QosStatus, string? StatusInfo);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatusChanged))]
public sealed partial class TestEventJson : JsonSerializerContext;

public sealed class NotificationDeliveryTests : IAsyncLifetime
{
    private const string Source = "https://controller.test/quality-on-demand/v1";
    private const string EventType = "org.camaraproject.quality-on-demand.v1.qos-status-changed";
    private readonly string _database = NotificationHost.NewDatabasePath();
    private TestSink _sink = null!;
    private NotificationHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = await TestSink.StartAsync();
        _host = new NotificationHost(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sink.DisposeAsync();
        NotificationHost.DeleteDatabase(_database);
    }

    internal static CloudEvent NewEvent(string sessionId, string status = "AVAILABLE", string? info = null) =>
        CloudEvent.Create(Source, EventType, new StatusChanged(sessionId, status, info), TestEventJson.Default.StatusChanged, TimeProvider.System);

    [Fact]
    public async Task CloudEventIsPostedAsStructuredJsonWithTheBearerTokenAndEveryField()
    {
        var evt = NewEvent("3fa85f64-5717-4562-b3fc-2c963f66afa6", "UNAVAILABLE", "DURATION_EXPIRED");

        var id = await _host.Outbox.EnqueueAsync(_sink.Url(), "token-abc.123", evt, TestContext.Current.CancellationToken);
        var request = await _sink.NextAsync();

        Assert.Equal("POST", request.Method);
        Assert.Equal("application/cloudevents+json", MediaTypeHeaderValue.Parse(request.ContentType!).MediaType);
        Assert.Equal("Bearer token-abc.123", request.Authorization);
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal(evt.Id, json.GetProperty("id").GetString());
        Assert.True(Guid.TryParse(evt.Id, out _));
        Assert.Equal(Source, json.GetProperty("source").GetString());
        Assert.Equal(EventType, json.GetProperty("type").GetString());
        Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
        var time = json.GetProperty("time").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", time);
        Assert.Equal(evt.Time, DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture));
        var data = json.GetProperty("data");
        Assert.Equal("3fa85f64-5717-4562-b3fc-2c963f66afa6", data.GetProperty("sessionId").GetString());
        Assert.Equal("UNAVAILABLE", data.GetProperty("qosStatus").GetString());
        Assert.Equal("DURATION_EXPIRED", data.GetProperty("statusInfo").GetString());
        var row = await _host.WaitForAsync(id, e => e.State == OutboxState.Delivered);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.DeliveredAt);
    }

    [Fact]
    public async Task EventsEnqueuedTogetherAreEachDeliveredOnceWithUniqueIdsAndNoTokenWhenNoneWasGiven()
    {
        var ct = TestContext.Current.CancellationToken;
        var events = Enumerable.Range(0, 5).Select(_ => NewEvent(Guid.NewGuid().ToString())).ToList();
        foreach (var evt in events)
        {
            await _host.Outbox.EnqueueAsync(_sink.Url(), null, evt, ct);
        }

        var received = new List<ReceivedRequest>();
        for (var i = 0; i < events.Count; i++)
        {
            received.Add(await _sink.NextAsync());
        }

        var ids = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Equal(events.Select(e => e.Id).Order(), ids.Order());
        Assert.Equal(5, ids.Distinct().Count());
        Assert.All(received, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task SinkAnsweringServerErrorsIsRetriedUntilItAcceptsTheSameEvent()
    {
        _sink.AnswerNext(500, 503);
        var evt = NewEvent(Guid.NewGuid().ToString());

        var id = await _host.Outbox.EnqueueAsync(_sink.Url(), "t", evt, TestContext.Current.CancellationToken);
        var attempts = new[] { await _sink.NextAsync(), await _sink.NextAsync(), await _sink.NextAsync() };

        Assert.All(attempts, a => Assert.Equal(evt.Id, JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()));
        var row = await _host.WaitForAsync(id, e => e.State == OutboxState.Delivered);
        Assert.Equal(3, row.Attempts);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task SinkThatIsDownIsRetriedAndReceivesTheEventOnceItIsUp()
    {
        var port = TestSink.FreePort();
        var evt = NewEvent(Guid.NewGuid().ToString());

        var id = await _host.Outbox.EnqueueAsync($"http://127.0.0.1:{port}/events", "t", evt, TestContext.Current.CancellationToken);
        var failed = await _host.WaitForAsync(id, e => e.Attempts >= 2);
        Assert.Equal(OutboxState.Pending, failed.State);
        Assert.NotNull(failed.LastError);
        await using var late = await TestSink.StartAsync(port);
        var request = await late.NextAsync();

        Assert.Contains(evt.Id, request.Body, StringComparison.Ordinal);
        await _host.WaitForAsync(id, e => e.State == OutboxState.Delivered);
    }

    [Fact]
    public async Task RawJsonBodyIsPostedAsIsWithItsOwnContentType()
    {
        const string body = """{"sessionId":"s-1","qosStatus":"AVAILABLE","timestamp":1700000000}""";

        var id = await _host.Outbox.EnqueueAsync(_sink.Url(), "legacy-token-0123456789", body, "application/json", TestContext.Current.CancellationToken);
        var request = await _sink.NextAsync();

        Assert.Equal(body, request.Body);
        Assert.Equal("application/json", MediaTypeHeaderValue.Parse(request.ContentType!).MediaType);
        Assert.Equal("Bearer legacy-token-0123456789", request.Authorization);
        await _host.WaitForAsync(id, e => e.State == OutboxState.Delivered);
    }
}
