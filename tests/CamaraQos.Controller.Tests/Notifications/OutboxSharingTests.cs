using System.Text.Json;
using CamaraQos.Controller.Notifications;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

/// <summary>Several controllers on one database (docs/ARCHITECTURE.md §7): rows are claimed, never sent twice.</summary>
public sealed class OutboxSharingTests : IAsyncLifetime
{
    private readonly string _database = NotificationHost.NewDatabasePath();
    private TestSink _sink = null!;
    private NotificationHost _first = null!;
    private NotificationHost _second = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = await TestSink.StartAsync();
        _first = new NotificationHost(_database);
        _second = new NotificationHost(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _sink.DisposeAsync();
        NotificationHost.DeleteDatabase(_database);
    }

    [Fact]
    public async Task TwoControllersSharingTheOutboxDeliverEachNotificationExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        var events = Enumerable.Range(0, 20).Select(i => NotificationDeliveryTests.NewEvent($"s-{i}")).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            var host = i % 2 == 0 ? _first : _second;
            ids.Add(await host.Outbox.EnqueueAsync(_sink.Url(), "t", events[i], ct));
        }

        var received = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var body = (await _sink.NextAsync()).Body;
            received.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
        }
        foreach (var id in ids)
        {
            var row = await _first.WaitForAsync(id, e => e.State == OutboxState.Delivered);
            Assert.Equal(1, row.Attempts);
        }

        Assert.Equal(events.Select(e => e.Id).Order(), received.Order());
        Assert.False(_sink.TryTake(out _));
    }
}
