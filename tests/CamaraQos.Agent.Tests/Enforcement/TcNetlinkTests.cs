using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// tc objects over rtnetlink against the real kernel, each side in its own namespace (wan0, lan0 veths), compared
/// with what tc(8) itself sets for the same lines.
/// </summary>
public class TcNetlinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<NetNs> GatewayAsync()
    {
        Privileged.Require("tc over rtnetlink");
        var ns = await NetNs.CreateAsync("cqe-tc-");
        await ns.AddVethAsync("wan0", "wanp");
        await ns.AddVethAsync("lan0", "lanp");
        return ns;
    }

    /// <summary>
    /// `tc -d` prints every value the kernel holds (rates, bursts, quantum, level, leaf options), and one counter:
    /// packets sent before the classes existed (IPv6 solicitations on a new veth) went to HTB's direct queue.
    /// </summary>
    private static async Task<string> TcDetailsAsync(NetNs ns)
    {
        var text = "";
        foreach (var d in (string[])["wan0", "lan0"])
        {
            text += await ns.CheckAsync("tc", "-d", "class", "show", "dev", d);
            text += await ns.CheckAsync("tc", "-d", "qdisc", "show", "dev", d);
        }
        return System.Text.RegularExpressions.Regex.Replace(text, "direct_packets_stat \\d+", "direct_packets_stat N");
    }

    private static IReadOnlyList<TcCommand> Trees(int upKbps, int downKbps, int guaranteedKbps, string leaf) =>
        TcRenderer.Render(new TcModel([new TcTree("wan0", upKbps, guaranteedKbps), new TcTree("lan0", downKbps, guaranteedKbps)], leaf));

    private static async Task<IReadOnlyList<string>> LeafKindsAsync()
    {
        var caps = await new CapabilityProbe(new ProcessCommandRunner(), namespacePrefix: "cqe-tcp-").ProbeAsync(Ct);
        return [.. ((string[])["bfifo", "fq_codel", "cake"]).Where(caps.Qdiscs.Contains)];
    }

    [Fact]
    public async Task HtbTreesCreatedAndChangedOverNetlinkHoldWhatTcBatchSetsAndReadBackAsMeant()
    {
        await using var viaNetlink = await GatewayAsync();
        await using var viaTc = await GatewayAsync();
        using var netlink = new RtnetlinkTc(viaNetlink.Name);
        using var other = new RtnetlinkTc(viaTc.Name);
        var tc = new TcProcesses(new ProcessCommandRunner(viaTc.Name));
        var leaves = await LeafKindsAsync();
        Assert.Contains("bfifo", leaves);

        // Per leaf kind: built from nothing, then every rate moved; 40 Gbit/s needs the 64-bit rate attributes.
        foreach (var (up, down, guaranteed, leaf) in leaves.SelectMany(l => ((int, int, int, string)[])
                     [(10_000, 50_000, 2_500, l), (20_000, 40_000_000, 9_000, l), (8_000, 100_000, 64, l)]))
        {
            var meant = Trees(up, down, guaranteed, leaf);
            var first = (await netlink.ReadAsync(["wan0", "lan0"], Ct)).HoldsHtbRoot("wan0");
            var objects = first ? [.. meant.Where(c => !c.Key.EndsWith(" qdisc root", StringComparison.Ordinal))] : meant;

            Assert.True((await netlink.ApplyAsync(objects, Ct)).Ok);
            Assert.True((await tc.ApplyAsync(objects, Ct)).Ok);

            Assert.Equal(await TcDetailsAsync(viaTc), await TcDetailsAsync(viaNetlink));
            var held = await netlink.ReadAsync(["wan0", "lan0"], Ct);
            Assert.Null(held.Difference(meant));
            Assert.Equal(held, await other.ReadAsync(["wan0", "lan0"], Ct), (a, b) => a.Text == b.Text);
            Assert.Contains($"class htb 1:1 root rate {(ulong)TcRenderer.ShapedKbps(down) * 125}", held.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheReadBackFindsATcClassChangedBehindTheAgentsBack()
    {
        await using var ns = await GatewayAsync();
        using var netlink = new RtnetlinkTc(ns.Name);
        var meant = Trees(10_000, 50_000, 2_500, "bfifo");
        Assert.True((await netlink.ApplyAsync(meant, Ct)).Ok);

        await ns.CheckAsync("tc", "class", "change", "dev", "lan0", "parent", "1:1", "classid", "1:30", "htb", "rate", "3000kbit", "ceil", "47500kbit", "prio", "2", "quantum", "1514");

        var difference = (await netlink.ReadAsync(["wan0", "lan0"], Ct)).Difference(meant);
        Assert.StartsWith("read-back: tc on lan0 lacks class htb 1:30 parent 1:1 prio 2 quantum 1514 rate 296875 ", difference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedTcObjectIsReportedInTheKernelsWordsAndStopsTheChanges()
    {
        await using var ns = await GatewayAsync();
        using var netlink = new RtnetlinkTc(ns.Name);
        var meant = Trees(10_000, 50_000, 2_500, "bfifo");
        var broken = new HtbClassObject("wan0", 0x40, 1, 0, 2000, 0, 1514);   // HTB requires a rate (sch_htb.c, htb_change_class)

        var r = await netlink.ApplyAsync([meant[0], TcCommand.Of(broken), .. meant.Skip(1)], Ct);

        Assert.StartsWith("tc over rtnetlink: class replace dev wan0 parent 1:1 classid 1:40 htb rate 0kbit ceil 2000kbit prio 0 quantum 1514: ",
            r.Error, StringComparison.Ordinal);
        Assert.EndsWith("(errno 22)", r.Error, StringComparison.Ordinal);   // EINVAL
        Assert.Contains("qdisc htb 1: root", await ns.CheckAsync("tc", "qdisc", "show", "dev", "wan0"), StringComparison.Ordinal);
        Assert.DoesNotContain("class htb", await ns.CheckAsync("tc", "class", "show", "dev", "wan0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentsFromScratchAndSessionsAddedOrRemovedStartNoProcess()
    {
        await using var ns = await GatewayAsync();
        var runner = new ProcessCommandRunner(ns.Name);
        using var h = new Harness(inner: runner, nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        var tcp = Documents.TcpFlow();
        var extra = tcp with { Id = "qod-tcp2", Match = tcp.Match with { DeviceIp = "192.168.1.20" } };

        var fromScratch = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var added = await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(2, [.. Documents.Realistic(2).Policies, extra])), Ct);
        Assert.Contains("rate 4500Kbit", await ns.CheckAsync("tc", "class", "show", "dev", "wan0", "classid", "1:10"), StringComparison.Ordinal);
        var removed = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(3)), Ct);
        await h.Enforcer.CleanupAsync(Ct);
        var restored = await h.New().RestoreAsync(Ct);

        Assert.All((ReconcileOutcome[])[fromScratch, added, removed, restored], o =>
        {
            Assert.True(o.KernelChanged);
            Assert.All(o.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
        });
        Assert.Equal(removed.Report.KernelHash, restored.Report.KernelHash);
        Assert.Contains("rate 2500Kbit", await ns.CheckAsync("tc", "class", "show", "dev", "wan0", "classid", "1:10"), StringComparison.Ordinal);
        Assert.Equal(0, runner.Started);
    }

    [Fact]
    public async Task WhenNetlinkIsRefusedTheTcBatchFallbackBuildsTheSameTreesAndTheAgentCarriesOn()
    {
        await using var viaNetlink = await GatewayAsync();
        await using var viaTc = await GatewayAsync();
        using var a = new Harness(inner: new ProcessCommandRunner(viaNetlink.Name), nft: new LibNftables(viaNetlink.Name), tc: new RtnetlinkTc(viaNetlink.Name));
        var fallbackRunner = new ProcessCommandRunner(viaTc.Name);
        using var b = new Harness(inner: fallbackRunner, nft: new LibNftables(viaTc.Name), tc: new Refused());

        foreach (var generation in (int[])[1, 2])
        {
            var doc = Documents.Json(generation == 1 ? Documents.Realistic(1)
                : Documents.State(2, Documents.TcpFlow(guaranteedUp: 3000), Documents.HomeTv()));
            var applied = await a.Enforcer.SubmitAsync(doc, Ct);
            var fellBack = await b.Enforcer.SubmitAsync(doc, Ct);

            Assert.All(fellBack.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
            Assert.All(applied.Report.Policies, p => Assert.True(p.Outcome == PolicyOutcome.Applied, p.Reason));
            Assert.Equal(await TcDetailsAsync(viaNetlink), await TcDetailsAsync(viaTc));
        }
        Assert.Contains(b.Runner.Drain(), c => c.File == "tc" && c.Args.SequenceEqual(["-batch", "-"]));
        Assert.True(fallbackRunner.Started > 0);
    }

    /// <summary>A kernel that refuses rtnetlink for tc (the socket or the message type).</summary>
    private sealed class Refused : ITrafficControl
    {
        private static Task<T> No<T>() => Task.FromException<T>(new TcRefusedException("tc over rtnetlink: Operation not supported (errno 95)"));

        public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct) => No<TcResult>();

        public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) => No<TcHeld>();

        public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct) => No<TcResult>();
    }
}
