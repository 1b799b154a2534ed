using CamaraQos.Controller.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

public class LoopHeartbeatsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ALoopThatBeatsWithinItsGraceIsAlive()
    {
        var heartbeats = new LoopHeartbeats(_time);
        var loop = heartbeats.Register("expiry", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromMinutes(4));
        loop.Beat();
        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(LoopStatus.Alive, Assert.Single(heartbeats.Check()).Status);
        Assert.True(heartbeats.AllAlive);
    }

    [Fact]
    public void ALoopSilentForTenOfItsIntervalsIsWedgedUntilItBeatsAgain()
    {
        var heartbeats = new LoopHeartbeats(_time);
        var loop = heartbeats.Register("expiry", TimeSpan.FromSeconds(30));
        heartbeats.Register("other", TimeSpan.FromSeconds(30)).Beat();

        _time.Advance(TimeSpan.FromSeconds(300));
        Assert.True(heartbeats.AllAlive);
        _time.Advance(TimeSpan.FromSeconds(1));

        var wedged = heartbeats.Check().Single(l => l.Name == "expiry");
        Assert.Equal(LoopStatus.Wedged, wedged.Status);
        Assert.Contains("no heartbeat for 301 s", wedged.Description, StringComparison.Ordinal);
        Assert.False(heartbeats.AllAlive);

        loop.Beat();
        Assert.Equal(LoopStatus.Alive, heartbeats.Check().Single(l => l.Name == "expiry").Status);
    }

    [Fact]
    public void AFastLoopIsStillGivenTheMinimumGraceBeforeItCountsAsWedged()
    {
        var heartbeats = new LoopHeartbeats(_time);
        heartbeats.Register("fast", TimeSpan.FromSeconds(1));

        _time.Advance(LoopHeartbeats.MinimumGrace);
        Assert.True(heartbeats.AllAlive);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoopStatus.Wedged, Assert.Single(heartbeats.Check()).Status);
    }

    [Fact]
    public async Task ALoopWhoseTaskCrashedIsDeadHoweverRecentlyItBeat()
    {
        var heartbeats = new LoopHeartbeats(_time);
        using var crashing = new CrashingLoop(heartbeats);

        await crashing.StartAsync(TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.ExecuteTask!);

        var loop = Assert.Single(heartbeats.Check());
        Assert.Equal(LoopStatus.Dead, loop.Status);
        Assert.Equal("crashed", loop.Description);
    }

    private sealed class CrashingLoop(LoopHeartbeats heartbeats) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var heartbeat = heartbeats.Register("crashing", TimeSpan.FromSeconds(5), this);
            await Task.Yield();
            heartbeat.Beat();
            throw new InvalidOperationException("the loop's bug");
        }
    }
}
