using CamaraQos.Controller.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Builder;
using CamaraQos.Controller.Notifications;
using Microsoft.Extensions.Options;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed class NotificationFailureTests : IAsyncLifetime
{
    private readonly string _database = NotificationHost.NewDatabasePath();
    private readonly List<NotificationHost> _hosts = [];
    private TestSink _sink = null!;

    public async ValueTask InitializeAsync() => _sink = await TestSink.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        await _sink.DisposeAsync();
        NotificationHost.DeleteDatabase(_database);
    }

    private NotificationHost Host(params (string Key, string Value)[] settings)
    {
        var host = new NotificationHost(_database, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task NotificationIsMarkedFailedAfterMaxAttemptsAndNotPostedAgain()
    {
        _sink.AlwaysStatus = 500;
        var host = Host(("Notifications:MaxAttempts", "3"));

        var id = await host.Outbox.EnqueueAsync(_sink.Url(), null, NotificationDeliveryTests.NewEvent("s"), TestContext.Current.CancellationToken);
        var row = await host.WaitForAsync(id, e => e.State == OutboxState.Failed);

        Assert.Equal(3, row.Attempts);
        Assert.Contains("500", row.LastError, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            await _sink.NextAsync();
        }
        Assert.False(_sink.TryTake(out _));
    }

    [Theory]
    [InlineData(false, OutboxState.Failed)]
    [InlineData(true, OutboxState.Delivered)]
    public async Task SinkNameResolvingToLoopbackIsRefusedAtSendUnlessPrivateSinksAreAllowed(bool allowPrivate, OutboxState expected)
    {
        var host = Host(("Notifications:AllowPrivateSinks", allowPrivate.ToString()), ("Notifications:MaxAttempts", "1"));

        var id = await host.Outbox.EnqueueAsync(_sink.Url("localhost"), "t", NotificationDeliveryTests.NewEvent("s"), TestContext.Current.CancellationToken);
        var row = await host.WaitForAsync(id, e => e.State != OutboxState.Pending);

        Assert.Equal(expected, row.State);
        if (allowPrivate)
        {
            await _sink.NextAsync();
        }
        else
        {
            Assert.Contains("AllowPrivateSinks", row.LastError, StringComparison.Ordinal);
            Assert.False(_sink.TryTake(out _));
        }
    }

    [Fact]
    public async Task HttpSinkIsNotPostedWhenHttpSinksAreNotAllowed()
    {
        var host = Host(("Notifications:AllowHttpSinks", "false"));

        var id = await host.Outbox.EnqueueAsync(_sink.Url(), "t", NotificationDeliveryTests.NewEvent("s"), TestContext.Current.CancellationToken);
        var row = await host.WaitForAsync(id, e => e.State != OutboxState.Pending);

        Assert.Equal(OutboxState.Failed, row.State);
        Assert.Contains("https", row.LastError, StringComparison.Ordinal);
        Assert.False(_sink.TryTake(out _));
    }

    [Fact]
    public async Task PendingNotificationSurvivesARestartAndIsDeliveredByTheNextHost()
    {
        var port = TestSink.FreePort();
        var evt = NotificationDeliveryTests.NewEvent("s");
        var first = Host();
        var id = await first.Outbox.EnqueueAsync($"http://127.0.0.1:{port}/events", "t", evt, TestContext.Current.CancellationToken);
        await first.WaitForAsync(id, e => e.Attempts >= 1 && e.LastError is not null);
        await first.DisposeAsync();

        await using var sink = await TestSink.StartAsync(port);
        var second = Host();
        _ = second.Services;
        var request = await sink.NextAsync();

        Assert.Contains(evt.Id, request.Body, StringComparison.Ordinal);
        Assert.Equal("Bearer t", request.Authorization);
        var row = await second.WaitForAsync(id, e => e.State == OutboxState.Delivered);
        Assert.True(row.Attempts >= 2);
    }

    [Theory]
    [InlineData("Notifications:MaxAttempts", "0")]
    [InlineData("Notifications:InitialBackoff", "00:00:00")]
    [InlineData("Notifications:MaxBackoff", "00:00:00.010")]
    [InlineData("Notifications:PollInterval", "-00:00:01")]
    [InlineData("Notifications:RequestTimeout", "00:00:00")]
    [InlineData("Notifications:MaxConcurrency", "0")]
    public async Task BadNotificationSettingFailsStartNamingTheKey(string key, string value)
    {
        // A bare builder with only this feature: WebApplicationFactory's deferred host can surface a
        // failed start as ObjectDisposedException, hiding the validation message this test reads.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection([new(key, value), new("Storage:ConnectionString", "Data Source=:memory:")]);
        builder.AddStorage().AddNotifications();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
