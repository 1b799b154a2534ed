using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Tests.Liveness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// The boot epoch is a counter in the state directory: each start gets a larger value than every earlier start
/// of the gateway, whatever its clock says, so the controller can always tell a late Last Will from a birth.
/// </summary>
public sealed class BootCounterTests : IDisposable
{
    private static readonly DateTimeOffset Installed = DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("cqe-boot-");
    private readonly FakeTimeProvider _time = new(Installed);
    private readonly RecordingLogger<BootCounterTests> _log = new();

    private string CounterFile => Path.Combine(_state.FullName, BootCounter.FileName);

    [Fact]
    public void TheFirstStartTakesTheWallClockAndEveryRestartAddsOneEvenWithinTheSameSecond()
    {
        var epochs = Enumerable.Range(0, 3).Select(_ => BootCounter.Next(_state.FullName, _time, _log)).ToArray();

        Assert.Equal([Installed.ToUnixTimeSeconds(), Installed.ToUnixTimeSeconds() + 1, Installed.ToUnixTimeSeconds() + 2], epochs);
        Assert.Equal(epochs[^1], BootCounter.Current(_state.FullName));
        Assert.Equal($"{epochs[^1]}\n", File.ReadAllText(CounterFile));
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void ARebootWithTheClockBackIn1970StillGetsALargerEpoch()
    {
        var before = BootCounter.Next(_state.FullName, _time, _log);
        var clockAfterReboot = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddMinutes(1));   // no real-time clock

        var after = BootCounter.Next(_state.FullName, clockAfterReboot, _log);

        Assert.Equal(before + 1, after);
    }

    [Fact]
    public void AnUpgradeFromTheWallClockEpochStartsAboveTheEpochTheControllerRemembers()
    {
        // The last wall-clock epoch the controller stored was this process's start time, a moment ago.
        var rememberedByController = _time.GetUtcNow().ToUnixTimeSeconds();
        _time.Advance(TimeSpan.FromSeconds(5));   // the upgrade restarts the agent

        Assert.True(BootCounter.Next(_state.FullName, _time, _log) > rememberedByController);
    }

    [Fact]
    public void ADamagedCounterIsLoggedAndTheNextStartStillGetsALargerEpoch()
    {
        var before = BootCounter.Next(_state.FullName, _time, _log);
        File.WriteAllText(CounterFile, "\0\0garbage");
        _time.Advance(TimeSpan.FromMinutes(1));   // a restart, a minute later

        var after = BootCounter.Next(_state.FullName, _time, _log);

        Assert.True(after > before);
        var logged = Assert.Single(_log.Lines);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(CounterFile, logged.Text, StringComparison.Ordinal);
        Assert.Contains("damaged", logged.Text, StringComparison.Ordinal);
        Assert.Equal(after, BootCounter.Current(_state.FullName));   // repaired: the next start counts on from it
        Assert.Equal(after + 1, BootCounter.Next(_state.FullName, _time, _log));
    }

    [Fact]
    public void TheCounterIsCreatedWithItsDirectory()
    {
        var nested = Path.Combine(_state.FullName, "new", "state");

        var epoch = BootCounter.Next(nested, _time, _log);

        Assert.Equal(epoch, BootCounter.Current(nested));
        Assert.False(File.Exists(Path.Combine(nested, BootCounter.FileName + ".tmp")));
    }

    public void Dispose() => _state.Delete(recursive: true);
}
