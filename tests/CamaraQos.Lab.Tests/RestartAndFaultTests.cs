using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 3 acceptance: QoS survives an agent crash and ends on time while the gateway is cut off from the
/// controller (docs/ARCHITECTURE.md §4: persisted desired document, per-policy notAfter), and the agent
/// reconverges once the broker is back.
/// </summary>
public sealed class RestartAndFaultTests : IAsyncLifetime
{
    private const int FlowPort = 5201;
    private const int DurationSeconds = 20;
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(2.5);
    private LabRig? _rig;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Fact]
    public async Task AKilledAgentRestartedWithoutItsBrokerRestoresTheSameKernelStateEndsTheSessionOnTimeAndReconverges()
    {
        Privileged.Require("The restart-and-fault lab (controller, agent, namespaces)");
        _rig = await LabRig.UpAsync("cqx-rst", 204);
        var lab = _rig.Lab;
        var session = await _rig.CreateAvailableSessionAsync(FlowPort, DurationSeconds);
        var expiresAt = session.GetProperty("expiresAt").GetDateTimeOffset();
        // The 201 comes once the controller has published the generation whose notAfter is the exact expiresAt; the
        // agent must hold it before the kill, or the restart restores the REQUESTED generation, whose notAfter is the
        // confirmation deadline + duration (by design: the gateway never heard of expiresAt) and the wait below times out.
        var generation = (await _rig.AgentAsync())!.Value.GetProperty("desiredGeneration").GetInt64();
        await Until.TrueAsync(async () => await _rig.AgentAsync() is { } a && a.GetProperty("observedGeneration").GetInt64() >= generation,
            $"the agent holding generation {generation} (notAfter = expiresAt)", 30);
        var before = await Kernel.SnapshotAsync(lab);
        Assert.Equal(4, Kernel.CountServerPortElements(before, FlowPort, "mark_46_1_10"));   // TCP and UDP, both ways

        // SIGKILL, then the broker goes away with the controller: the new agent process has only its disk.
        _rig.Agent!.Kill();
        await _rig.StopControllerAsync();
        var restarted = _rig.StartAgent();
        await restarted.LineAsync(l => l.Contains($"Applied generation {generation}:", StringComparison.Ordinal));
        var restored = await Kernel.SnapshotAsync(lab);
        Assert.True(DateTimeOffset.UtcNow < expiresAt, "the restore came after notAfter: the comparison below would prove nothing");
        Assert.Equal(before, restored);
        Assert.Equal(4, Kernel.CountServerPortElements(restored, FlowPort, "mark_46_1_10"));

        await Until.TrueAsync(async () => Kernel.CountLines(await Kernel.NftTableAsync(lab), $" . {FlowPort} : jump ") == 0,
            "the expired session's elements removed by the disconnected agent", DurationSeconds + 15);
        var removedAt = DateTimeOffset.UtcNow;
        TestContext.Current.TestOutputHelper?.WriteLine($"notAfter {expiresAt:O}, rule gone at {removedAt:O} ({(removedAt - expiresAt).TotalMilliseconds:F0} ms after)");
        Assert.InRange(removedAt, expiresAt, expiresAt + ExpiryMargin);

        // The broker is back on the same port and database: the agent reconnects and reports the controller's latest generation.
        await _rig.StartControllerAsync();
        await Until.TrueAsync(async () => await _rig.AgentAsync() is { } a && a.GetProperty("online").GetBoolean()
            && a.GetProperty("desiredGeneration").GetInt64() > generation
            && a.GetProperty("observedGeneration").GetInt64() == a.GetProperty("desiredGeneration").GetInt64(),
            "the agent reconverged on the restarted controller", 60);
        var ended = await _rig.SessionAsync(session.GetProperty("sessionId").GetString()!);
        Assert.Equal("UNAVAILABLE", ended.GetProperty("qosStatus").GetString());
        Assert.Equal(0, Kernel.CountLines(await Kernel.NftTableAsync(lab), $" . {FlowPort} : jump "));
    }
}
