using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 5 acceptance, QoS provisioning on the real kernel: a device's assignment survives an agent restart
/// (the same kernel state, and the restarted agent's report keeps it AVAILABLE), and follows the device by MAC
/// when its LAN address changes (the agent's inventory updates, the controller recompiles, the rules and the
/// marks move to the new address). Marks are counted at the WAN server (<see cref="DscpProbe"/>).
/// </summary>
public sealed class QosProvisioningLabTests : IAsyncLifetime
{
    private const int Port = 5201;
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
    public async Task AnAssignmentSurvivesAnAgentRestartAndFollowsItsDeviceToANewLanAddress()
    {
        Privileged.Require("The QoS provisioning lab (controller, agent, namespaces)");
        _rig = await LabRig.UpAsync("cqx-prv", 228);
        var lab = _rig.Lab;
        var id = await _rig.CreateAvailableAssignmentAsync();
        var before = await Kernel.SnapshotAsync(lab);
        Assert.Equal(2, Kernel.CountElements(before, lab.Lan1, "mark_46_1_10"));   // upstream and downstream

        // Restart: SIGKILL, then a new process with the controller still up.
        var epoch = (await _rig.AgentAsync())!.Value.GetProperty("bootEpoch").GetInt64();
        _rig.Agent!.Kill();
        var restarted = _rig.StartAgent();
        await restarted.LineAsync(l => l.Contains("Applied generation", StringComparison.Ordinal));
        Assert.Equal(before, await Kernel.SnapshotAsync(lab));
        await Until.TrueAsync(async () => await _rig.AgentAsync() is { } a && a.GetProperty("online").GetBoolean()
            && a.GetProperty("bootEpoch").GetInt64() > epoch
            && a.GetProperty("observedGeneration").GetInt64() == a.GetProperty("desiredGeneration").GetInt64(),
            "the restarted agent online and reporting the latest generation", 30);
        Assert.Equal("AVAILABLE", (await _rig.AssignmentAsync(id)).GetProperty("status").GetString());
        Assert.Equal(before, await Kernel.SnapshotAsync(lab));

        // The device moves to a new address (as after a DHCP change) and talks to the gateway from it.
        var moved = lab.Address(2, 20);
        (await lab.ExecAsync("lan1", "ip", "addr", "flush", "dev", "eth0")).EnsureSuccess("flush lan1");
        (await lab.ExecAsync("lan1", "ip", "addr", "add", $"{moved}/24", "dev", "eth0")).EnsureSuccess("new lan1 address");
        (await lab.ExecAsync("lan1", "ip", "route", "add", "default", "via", lab.Address(2, 1))).EnsureSuccess("lan1 default route");
        (await lab.ExecAsync("lan1", "ping", "-c", "1", "-W", "2", lab.Address(2, 1))).EnsureSuccess("ping from the new address");
        await Until.TrueAsync(async () => Kernel.CountElements(await Kernel.NftTableAsync(lab), moved, "mark_46_1_10") == 2,
            "the assignment's rules at the new address", 30);
        var table = await Kernel.NftTableAsync(lab);
        Assert.Equal(2, Kernel.CountElements(table, moved, "mark_46_1_10"));
        Assert.DoesNotContain($" {lab.Lan1} ", table, StringComparison.Ordinal);
        var inventory = (await _rig.AgentAsync())!.Value.GetProperty("inventory").GetRawText();
        Assert.Contains(moved, inventory, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{lab.Lan1}\"", inventory, StringComparison.Ordinal);

        // And the traffic from the new address is what the server receives marked EF.
        using var server = await Traffic.IperfServer.StartAsync(lab, Port);
        await DscpProbe.InstallAsync(lab, Port);
        await Traffic.SendAsync(lab, "lan1", Port, "300K");
        var counted = await DscpProbe.CountAsync(lab, Port);
        TestContext.Current.TestOutputHelper?.WriteLine($"from {moved}: {counted.Ef} EF, {counted.Other} other at the server");
        Assert.True(counted.Ef > 50 && counted.Other == 0, $"from {moved}: {counted}");
        Assert.Equal("AVAILABLE", (await _rig.AssignmentAsync(id)).GetProperty("status").GetString());
    }
}
