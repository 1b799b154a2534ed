using CamaraQos.Controller.Health;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

public class SystemdWatchdogTests
{
    [Fact]
    public void TheWatchdogPingsOnlyWhileEveryLoopBeatsAndResumesWhenTheWedgedOneBeatsAgain()
    {
        var time = new FakeTimeProvider();
        var heartbeats = new LoopHeartbeats(time);
        var expiry = heartbeats.Register("expiry", TimeSpan.FromSeconds(30));
        var lifecycle = heartbeats.Register("lifecycle", TimeSpan.FromSeconds(5));
        var notifier = new RecordingNotifier();
        using var watchdog = new SystemdWatchdog(notifier, heartbeats, time, NullLogger<SystemdWatchdog>.Instance);

        Assert.True(watchdog.PingIfAlive());
        Assert.Equal(["WATCHDOG=1"], notifier.Sent);

        // lifecycle keeps beating, expiry is stuck in one iteration.
        for (var i = 0; i < 12; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            lifecycle.Beat();
            watchdog.PingIfAlive();
        }
        var pingsBeforeWedge = notifier.Sent.Count;
        Assert.Equal(11, pingsBeforeWedge); // 300 s of silence is still alive, 330 s is not

        Assert.False(watchdog.PingIfAlive());
        Assert.Equal(pingsBeforeWedge, notifier.Sent.Count);

        expiry.Beat();
        Assert.True(watchdog.PingIfAlive());
        Assert.Equal(pingsBeforeWedge + 1, notifier.Sent.Count);
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];
        public bool IsEnabled => true;
        public void Notify(ServiceState state) => Sent.Add(state.ToString());
    }
}
