using CamaraQos.Agent.Enforcement;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>The real runner against the real kernel, inside a namespace each test creates (wan0, lan0 veths).</summary>
public class KernelEnforcementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<NetNs> GatewayAsync()
    {
        Privileged.Require("Kernel enforcement");
        var ns = await NetNs.CreateAsync("cqe-");
        await ns.AddVethAsync("wan0", "wanp");
        await ns.AddVethAsync("lan0", "lanp");
        await ns.AddAddressAsync("wan0", "10.213.1.1/24");
        await ns.AddAddressAsync("lan0", "10.213.2.1/24");
        return ns;
    }

    /// <summary>What the kernel holds of ours; with handles, a replaced table differs even when equal in content.</summary>
    private static async Task<string> SnapshotAsync(NetNs ns, bool handles)
    {
        string[] nft = handles ? ["nft", "-a", "list", "table", "inet", "camaraqos"] : ["nft", "list", "table", "inet", "camaraqos"];
        var text = (await ns.ExecAsync(nft)).StdOut;
        foreach (var d in (string[])["wan0", "lan0"])
        {
            text += await ns.CheckAsync("tc", "class", "show", "dev", d);
            text += await ns.CheckAsync("tc", "qdisc", "show", "dev", d);
        }
        return text;
    }

    private static int Count(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    [Fact]
    public async Task ANewAgentProcessOnAKernelThatHoldsItsTreesAppliesTheSameDocumentWithoutFailure()
    {
        Privileged.Require("Kernel enforcement");
        await using var ns = await NetNs.CreateAsync("cqx-hdk-");
        await ns.AddVethAsync("wan0", "wanp");
        await ns.AddVethAsync("lan0", "lanp");
        await ns.AddAddressAsync("wan0", "10.213.233.1/24");
        await ns.AddAddressAsync("lan0", "10.213.234.1/24");
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var before = await SnapshotAsync(ns, handles: false);

        // The restarted process knows nothing of what it applied: it sends every object again.
        var restarted = await h.New().SubmitAsync(Documents.Json(Documents.Realistic(2)), Ct);

        Assert.All(restarted.Report.Policies, p => Assert.True(p.Outcome == CamaraQos.Shared.PolicyOutcome.Applied, p.Reason));
        Assert.Equal(before, await SnapshotAsync(ns, handles: false));
    }

    [Fact]
    public async Task DocumentCreatesTableAndTreesAndReapplyingItChangesNothing()
    {
        await using var ns = await GatewayAsync();
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));

        var first = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var before = await SnapshotAsync(ns, handles: true);
        var again = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(2)), Ct);

        Assert.All(first.Report.Policies, p => Assert.Null(p.Reason));
        var content = await SnapshotAsync(ns, handles: false);
        Assert.Contains("chain mark_46_1_10 {\n\t\tip dscp set ef\n\t\tip6 dscp set ef\n\t\tmeta priority set 1:10 accept\n", content, StringComparison.Ordinal);
        Assert.Contains("chain mark_32_0_104 {\n\t\tip dscp set cs4\n\t\tip6 dscp set cs4\n\t\tmeta priority set 0:104 accept\n", content, StringComparison.Ordinal);
        Assert.Contains("2001:db8:1::10 . 2001:db8:ff::5 . udp . 0-65535 . 3478-3480 : jump mark_34_1_10", content, StringComparison.Ordinal);
        Assert.Contains("192.168.1.11 . 0.0.0.0/0 . 0-255 . 0-65535 . 0-65535 : jump mark_32_0_104", content, StringComparison.Ordinal);
        Assert.Contains("class htb 1:10 parent 1:1 leaf 10: prio 0 rate 2500Kbit ceil 9500Kbit", before, StringComparison.Ordinal);
        Assert.Contains("class htb 1:10 parent 1:1 leaf 10: prio 0 rate 9Mbit ceil 47500Kbit", before, StringComparison.Ordinal);
        Assert.Equal(8, Count(before, "class htb"));
        Assert.False(again.KernelChanged);
        Assert.Equal(before, await SnapshotAsync(ns, handles: true));
        Assert.Equal(first.Report.KernelHash, again.Report.KernelHash);
    }

    [Fact]
    public async Task FullReapplyAfterRestartLeavesIdenticalStateWithoutDuplicates()
    {
        await using var ns = await GatewayAsync();
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        var first = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var before = await SnapshotAsync(ns, handles: false);

        var restored = await h.New().RestoreAsync(Ct);

        var after = await SnapshotAsync(ns, handles: false);
        Assert.True(restored.KernelChanged);
        Assert.Equal(before, after);
        Assert.Equal(8, Count(after, "class htb"));
        Assert.Equal(1, Count((await ns.CheckAsync("nft", "list", "tables")), "camaraqos"));
        Assert.Equal(first.Report.KernelHash, restored.Report.KernelHash);
    }

    [Fact]
    public async Task SecondDocumentChangesOnlyTheDifference()
    {
        await using var ns = await GatewayAsync();
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var table = (await ns.ExecAsync("nft", "-a", "list", "table", "inet", "camaraqos")).StdOut;
        var lan = await ns.CheckAsync("tc", "class", "show", "dev", "lan0");
        var wanBulk = await ns.CheckAsync("tc", "class", "show", "dev", "wan0", "classid", "1:30");

        var doc = Documents.State(2, Documents.TcpFlow(guaranteedUp: 3000), Documents.UdpFlowV6(), Documents.HomeTv());
        await h.Enforcer.SubmitAsync(Documents.Json(doc), Ct);

        Assert.Equal(table, (await ns.ExecAsync("nft", "-a", "list", "table", "inet", "camaraqos")).StdOut);
        Assert.Equal(lan, await ns.CheckAsync("tc", "class", "show", "dev", "lan0"));
        Assert.Equal(wanBulk, await ns.CheckAsync("tc", "class", "show", "dev", "wan0", "classid", "1:30"));
        Assert.Contains("rate 3500Kbit", await ns.CheckAsync("tc", "class", "show", "dev", "wan0", "classid", "1:10"), StringComparison.Ordinal);

        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(3, Documents.TcpFlow(guaranteedUp: 3000), Documents.HomeTv())), Ct);

        var newTable = (await ns.ExecAsync("nft", "list", "table", "inet", "camaraqos")).StdOut;
        Assert.DoesNotContain("2001:db8:1::10", newTable, StringComparison.Ordinal);
        Assert.Contains("192.168.1.11", newTable, StringComparison.Ordinal);
        Assert.Contains("rate 8Mbit", await ns.CheckAsync("tc", "class", "show", "dev", "lan0", "classid", "1:10"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnElementDeletedBehindTheAgentsBackRightAfterItsTransactionIsFoundByTheIncrementalReadBack()
    {
        await using var ns = await GatewayAsync();
        using var nft = new LibNftables(ns.Name);
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new Thief(nft, "192.168.1.20"), tc: new RtnetlinkTc(ns.Name));
        var tcp = Documents.TcpFlow();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(1, tcp)), Ct);

        var another = tcp with { Id = "qod-tcp2", Match = tcp.Match with { DeviceIp = "192.168.1.20" } };
        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(2, tcp, another)), Ct);

        Assert.DoesNotContain("192.168.1.20", await ns.CheckAsync("nft", "list", "table", "inet", "camaraqos"), StringComparison.Ordinal);
        Assert.All(outcome.Report.Policies, p => Assert.Equal(CamaraQos.Shared.PolicyOutcome.Failed, p.Outcome));
        Assert.Contains("lacks an element just added", outcome.Report.Policies[0].Reason, StringComparison.Ordinal);
    }

    /// <summary>Someone else on the gateway: right after a transaction that adds elements for <paramref name="device"/>, deletes them.</summary>
    private sealed class Thief(INftables kernel, string device) : INftables
    {
        public async Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
        {
            var r = await kernel.RunAsync(commands, json, ct);
            foreach (var line in commands.Split('\n').Where(l => l.StartsWith("add element ", StringComparison.Ordinal)))
            {
                var head = line[..(line.IndexOf('{', StringComparison.Ordinal) + 2)];
                var keys = line[head.Length..^2].Split(", ").Where(e => e.StartsWith(device + " ", StringComparison.Ordinal))
                    .Select(e => e[..e.IndexOf(" : ", StringComparison.Ordinal)]).ToList();
                if (r.Ok && keys.Count > 0)
                {
                    Assert.True((await kernel.RunAsync("delete" + head[3..] + string.Join(", ", keys) + " }", false, ct)).Ok);
                }
            }
            return r;
        }
    }

    [Fact]
    public async Task CleanupRemovesOurTableAndQdiscsAndLeavesOthersAlone()
    {
        await using var ns = await GatewayAsync();
        await ns.CheckWithInputAsync("table inet other {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t}\n}\n", "nft", "-f", "-");
        await ns.CheckAsync("tc", "qdisc", "add", "dev", "lanp", "root", "handle", "1:", "htb");
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        await h.Enforcer.CleanupAsync(Ct);

        var tables = await ns.CheckAsync("nft", "list", "tables");
        Assert.Contains("table inet other", tables, StringComparison.Ordinal);
        Assert.DoesNotContain("camaraqos", tables, StringComparison.Ordinal);
        Assert.DoesNotContain("htb", await ns.CheckAsync("tc", "qdisc", "show", "dev", "wan0"), StringComparison.Ordinal);
        Assert.DoesNotContain("htb", await ns.CheckAsync("tc", "qdisc", "show", "dev", "lan0"), StringComparison.Ordinal);
        Assert.Contains("qdisc htb 1: root", await ns.CheckAsync("tc", "qdisc", "show", "dev", "lanp"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreFromPersistedFileRecreatesIdenticalStateAfterCleanup()
    {
        await using var ns = await GatewayAsync();
        using var h = new Harness(inner: new ProcessCommandRunner(ns.Name), nft: new LibNftables(ns.Name), tc: new RtnetlinkTc(ns.Name));
        var first = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(4)), Ct);
        var before = await SnapshotAsync(ns, handles: false);
        await h.Enforcer.CleanupAsync(Ct);
        Assert.DoesNotContain("camaraqos", await ns.CheckAsync("nft", "list", "tables"), StringComparison.Ordinal);

        var restored = await h.New().RestoreAsync(Ct);

        Assert.Equal(4, restored.Report.ObservedGeneration);
        Assert.Equal(before, await SnapshotAsync(ns, handles: false));
        Assert.Equal(first.Report.KernelHash, restored.Report.KernelHash);
    }

    [Fact]
    public async Task CapabilityProbeFindsHtbAndNftStatementsAndLeavesNoNamespace()
    {
        Privileged.Require("Capability probe");
        var probe = new CapabilityProbe(new ProcessCommandRunner(), namespacePrefix: "cqe-probe-");

        var caps = await probe.ProbeAsync(Ct);

        Assert.Contains("htb", caps.Qdiscs);
        Assert.Contains("bfifo", caps.Qdiscs);
        Assert.Contains("u32", caps.Classifiers);
        Assert.True(caps.NftDscp);
        Assert.True(caps.NftMetaPriority);
        Assert.DoesNotContain("cqe-probe-", await Proc.CheckAsync("ip", ["netns", "list"]), StringComparison.Ordinal);
    }
}
