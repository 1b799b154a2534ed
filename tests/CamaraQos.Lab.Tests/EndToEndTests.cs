using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// Issue 3 acceptance, on the real kernel: a QoD session created through the controller's API changes how
/// the gateway treats the packets of its flow, and only those. The DSCP "capture" is the server's own nft
/// counters (<see cref="DscpProbe"/>); the class proof is the gateway's HTB counters on wan0.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private const int FlowPort = 5201;
    private const int OtherPort = 5202;
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
    public async Task ASessionCreatedThroughTheApiMarksAndPrioritisesItsFlowOnlyAndDeletingItEndsThat()
    {
        Privileged.Require("The end-to-end lab (controller, agent, namespaces)");
        _rig = await LabRig.UpAsync("cqx-e2e", 200);
        var lab = _rig.Lab;
        using var flowServer = await Traffic.IperfServer.StartAsync(lab, FlowPort);
        using var otherServer = await Traffic.IperfServer.StartAsync(lab, OtherPort);
        await DscpProbe.InstallAsync(lab, FlowPort, OtherPort);

        var session = await _rig.CreateAvailableSessionAsync(FlowPort, durationSeconds: 300);
        var table = await Kernel.NftTableAsync(lab);
        // No protocol in the session: TCP and UDP, each in the upstream and the downstream map, to EF + class 1:10.
        Assert.Equal(4, Kernel.CountServerPortElements(table, FlowPort, "mark_46_1_10"));

        // The other flow first: it leaves by the default class and arrives unmarked.
        var before = await Kernel.SettledClassSentAsync(lab, "wan0", "1:10");
        await Traffic.SendAsync(lab, "lan1", OtherPort, "1M");
        Assert.Equal(before, await Kernel.SettledClassSentAsync(lab, "wan0", "1:10"));
        var other = await DscpProbe.CountAsync(lab, OtherPort);
        Assert.Equal(0, other.Ef);
        Assert.True(other.Other > 100, $"other flow: {other}");

        // The session's flow: every packet the server receives carries EF, and it went through the priority class.
        await Traffic.SendAsync(lab, "lan1", FlowPort, "1M");
        var flow = await DscpProbe.CountAsync(lab, FlowPort);
        Assert.Equal(0, flow.Other);
        Assert.True(flow.Ef > 100, $"session flow: {flow}");
        var during = await Kernel.SettledClassSentAsync(lab, "wan0", "1:10");
        // iperf3 -n ends by its own byte accounting (0.9-1.1 MB on the wire here); the invariant is that
        // every packet the server counted as EF went through 1:10, and that it was the bulk of the transfer.
        Assert.True(during.Bytes - before.Bytes >= 800_000, $"priority class sent {during.Bytes - before.Bytes} bytes in {during.Packets - before.Packets} packets; server saw {flow}");
        Assert.True(during.Packets - before.Packets >= flow.Ef, $"priority class {during.Packets - before.Packets} pkt < {flow.Ef} EF at server");

        await _rig.DeleteSessionAsync(session.GetProperty("sessionId").GetString()!);
        await Until.TrueAsync(async () => Kernel.CountLines(await Kernel.NftTableAsync(lab), $" . {FlowPort} : jump ") == 0,
            "the session's rule removed from table inet camaraqos", 15);
        // The baseline is taken once the rule is gone: a straggler of the last transfer (a late ACK or FIN)
        // may still have been marked while the delete was on its way, and is no evidence either way.
        // The same holds for the server's EF count: read once the class has settled, so the straggler is in.
        var removed = await Kernel.SettledClassSentAsync(lab, "wan0", "1:10");
        Assert.True(removed.Packets - during.Packets <= 4, $"after delete, before traffic: {removed} vs {during}");
        var removedEf = (await DscpProbe.CountAsync(lab, FlowPort)).Ef;
        Assert.True(removedEf - flow.Ef <= 4, $"EF at the server after delete, before traffic: {removedEf} vs {flow.Ef}");
        await Traffic.SendAsync(lab, "lan1", FlowPort, "1M");
        Assert.Equal(removed, await Kernel.SettledClassSentAsync(lab, "wan0", "1:10"));
        var after = await DscpProbe.CountAsync(lab, FlowPort);
        Assert.Equal(removedEf, after.Ef);
        Assert.True(after.Other > 100, $"after delete: {after}");
    }
}
