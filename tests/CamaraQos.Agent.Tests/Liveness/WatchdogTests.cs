using CamaraQos.Agent.Control;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Agent.Tests.Liveness;

/// <summary>
/// The systemd watchdog is fed only while the agent's loops make progress: the real expiry loop
/// (<see cref="EnforcementService"/>) on a fake clock, an enforcer that returns, throws or hangs, and a notifier
/// that records the pings.
/// </summary>
public sealed class WatchdogTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RecordingLogger<Heartbeats> _loopLog = new();
    private readonly RecordingLogger<SystemdWatchdog> _watchdogLog = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly Heartbeats _heartbeats;
    private readonly SystemdWatchdog _watchdog;
    private EnforcementService? _service;

    public WatchdogTests()
    {
        _heartbeats = new Heartbeats(_time, _loopLog);
        _watchdog = new SystemdWatchdog(_notifier, _heartbeats, _time, _watchdogLog, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AStuckExpiryLoopStopsTheWatchdogPings()
    {
        var enforcer = await StartAsync((_, ct) => Task.Delay(Timeout.Infinite, ct));
        _time.Advance(EnforcementService.ExpiryPeriod);
        await enforcer.NextCallAsync();   // the first round has started and never ends

        Assert.True(_watchdog.Tick());
        _time.Advance(Heartbeats.MinimumLimit);

        Assert.False(_watchdog.Tick());
        Assert.False(_watchdog.Tick());
        Assert.Equal(1, _notifier.Pings);   // the one before the limit, none since
        var logged = Assert.Single(_watchdogLog.Lines);
        Assert.Equal(LogLevel.Critical, logged.Level);
        Assert.Contains("expiry", logged.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWatchdogIsFedWhileTheExpiryLoopBeats()
    {
        var enforcer = await StartAsync((_, _) => Task.CompletedTask);

        // Twice the limit, one period at a time, each round seen to start.
        var rounds = (int)(2 * Heartbeats.MinimumLimit / EnforcementService.ExpiryPeriod);
        for (var i = 1; i <= rounds; i++)
        {
            _time.Advance(EnforcementService.ExpiryPeriod);
            Assert.Equal(i, await enforcer.NextCallAsync());
        }

        Assert.True(_watchdog.Tick());
        Assert.Equal(1, _notifier.Pings);
        Assert.Empty(_watchdogLog.Lines);
    }

    [Fact]
    public async Task AnExpiryRoundThatThrowsIsLoggedAndTheLoopGoesOn()
    {
        var enforcer = await StartAsync((call, _) =>
            call == 1 ? Task.FromException(new InvalidOperationException("kernel said no")) : Task.CompletedTask);

        _time.Advance(EnforcementService.ExpiryPeriod);
        Assert.Equal(1, await enforcer.NextCallAsync());
        var error = await _loopLog.NextAsync(LogLevel.Error);
        _time.Advance(EnforcementService.ExpiryPeriod);   // the first retry is due 1 s after the failure

        Assert.Equal(2, await enforcer.NextCallAsync());
        Assert.Contains("expiry", error.Text, StringComparison.Ordinal);
        Assert.Equal("kernel said no", error.Error?.Message);
    }

    [Fact]
    public async Task ALoopThatKeepsFailingRetriesLessAndLessOftenAndStopsTheWatchdog()
    {
        var enforcer = await StartAsync((_, _) => Task.FromException(new InvalidOperationException("always")));
        int[] retries = [1, 2, 4, 8, 16, 32];   // each failure waits 1, 2, 4, 8, 16 s, then at most 30 s

        for (var second = 1; second <= Heartbeats.MinimumLimit.TotalSeconds + 1; second++)
        {
            _time.Advance(EnforcementService.ExpiryPeriod);
            if (retries.Contains(second))
            {
                await enforcer.NextCallAsync();
                await _loopLog.NextAsync(LogLevel.Error);
            }
        }

        Assert.False(_watchdog.Tick());
        Assert.Equal(0, _notifier.Pings);
        Assert.False(enforcer.ExpiryCalls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ThePumpWaitingForADocumentIsNeverLateButAnApplyThatHangsIs()
    {
        var enforcer = new ScriptedEnforcer((_, _) => Task.CompletedTask, ct => Task.Delay(Timeout.Infinite, ct));
        var inbox = new DesiredInbox();
        using var pump = new DesiredPump(enforcer, inbox, _heartbeats, NullLogger<DesiredPump>.Instance);
        await pump.StartAsync(Ct);

        _time.Advance(TimeSpan.FromHours(1));   // no document for an hour: waiting, not stuck
        Assert.True(_watchdog.Tick());

        inbox.Post("{}"u8.ToArray());
        await enforcer.Submitting.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        _time.Advance(Heartbeats.MinimumLimit + TimeSpan.FromSeconds(1));

        Assert.False(_watchdog.Tick());
        Assert.Contains(DesiredPump.LoopName, Assert.Single(_watchdogLog.Lines).Text, StringComparison.Ordinal);
        await pump.StopAsync(Ct);
    }

    private async Task<ScriptedEnforcer> StartAsync(Func<int, CancellationToken, Task> expire)
    {
        var enforcer = new ScriptedEnforcer(expire);
        _service = new EnforcementService(enforcer, _heartbeats, _time);
        await _service.StartAsync(Ct);
        Assert.True(_watchdog.Tick());
        _notifier.Reset();
        return enforcer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(Ct);
            _service.Dispose();
        }
        _watchdog.Dispose();
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private int _pings;

        public bool IsEnabled => true;

        public int Pings => Volatile.Read(ref _pings);

        public void Reset() => Volatile.Write(ref _pings, 0);

        public void Notify(ServiceState state)
        {
            if (state.ToString() == "WATCHDOG=1")
            {
                Interlocked.Increment(ref _pings);
            }
        }
    }
}
