using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class ReconcilerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstDocumentReplacesTheTableAndBuildsBothTreesInOneNetlinkCall()
    {
        using var h = new Harness();

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        var mutations = h.Runner.Drain().Where(c => c.Mutates).ToList();
        Assert.True(outcome.KernelChanged);
        Assert.Equal(2, mutations.Count);
        Assert.StartsWith("add table inet camaraqos\ndelete table inet camaraqos\n", mutations[0].Stdin, StringComparison.Ordinal);
        Assert.True(mutations[1].IsNetlinkTc);
        Assert.Equal(["apply"], mutations[1].Args);
        Assert.Equal(16, mutations[1].Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1, outcome.Report.ObservedGeneration);
        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        Assert.StartsWith("sha256:", outcome.Report.KernelHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameDocumentTwiceCausesZeroCommands()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        h.Runner.Drain();

        var again = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.False(again.KernelChanged);
        Assert.Empty(h.Runner.Drain());
    }

    [Fact]
    public async Task NewGenerationWithUnchangedPoliciesCausesZeroCommandsButIsObserved()
    {
        using var h = new Harness();
        var first = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        h.Runner.Drain();

        var next = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(2)), Ct);

        Assert.False(next.KernelChanged);
        Assert.Empty(h.Runner.Drain());
        Assert.Equal(2, next.Report.ObservedGeneration);
        Assert.Equal(first.Report.KernelHash, next.Report.KernelHash);
    }

    [Fact]
    public async Task ChangedUpstreamGuaranteeChangesOnlyTheWanClassesItMoves()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        h.Runner.Drain();

        var doc = Documents.State(2, Documents.TcpFlow(guaranteedUp: 3000), Documents.UdpFlowV6(), Documents.HomeTv());
        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(doc), Ct);

        var mutations = h.Runner.Drain().Where(c => c.Mutates).ToList();
        Assert.True(outcome.KernelChanged);
        var batch = Assert.Single(mutations);
        Assert.True(batch.IsNetlinkTc);
        string[] expected =
        [
            "class replace dev wan0 parent 1:1 classid 1:10 htb rate 3500kbit ceil 9500kbit prio 0 quantum 1514",
            "class replace dev wan0 parent 1:1 classid 1:20 htb rate 5525kbit ceil 9500kbit prio 1 quantum 1514",
            "qdisc replace dev wan0 parent 1:20 handle 20: bfifo limit 5525",
        ];
        Assert.Equal(expected, batch.Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task APolicyWhosePortListChangesUnderTheSameIdIsTypedAgainAndOnlyItsElementsChange()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        h.Runner.Drain();
        var tcp = Documents.TcpFlow();

        var moved = tcp with { Match = tcp.Match with { ServerPorts = [new PortRange(8443, 8443)] } };
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.State(2, moved, Documents.UdpFlowV6(), Documents.HomeTv())), Ct);

        var nft = h.Runner.Drain().Single(c => c.IsNft && c.Mutates).Stdin!;
        Assert.Contains("delete element inet camaraqos up4_0 { 192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 }", nft, StringComparison.Ordinal);
        Assert.Contains("add element inet camaraqos up4_0 { 192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 8443 : jump mark_46_1_10 }", nft, StringComparison.Ordinal);
        Assert.DoesNotContain("2001:db8:1::10", nft, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAfterExpiryRemovesOnlyThatPolicy()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        h.Runner.Drain();
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));

        h.Time.Advance(TimeSpan.FromMinutes(61));
        var outcome = await h.Enforcer.ExpireAsync(Ct);

        Assert.NotNull(outcome);
        Assert.Equal(PolicyOutcome.Expired, outcome.Report.Policies.Single(p => p.Id == "qod-tcp").Outcome);
        Assert.All(outcome.Report.Policies.Where(p => p.Id != "qod-tcp"), p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        // Only the expired session's elements go, and its class chain with them: one buffer, nothing else touched.
        var nft = h.Runner.Drain().Single(c => c.IsNft && c.Mutates);
        Assert.Equal("""
            delete element inet camaraqos up4_0 { 192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 }
            delete element inet camaraqos down4_0 { 192.168.1.10 . 203.0.113.0/24 . tcp . 1000-2000 . 443 }
            delete chain inet camaraqos mark_46_1_10

            """, nft.Stdin);
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));
    }

    [Fact]
    public async Task RestartedEnforcerRestoresThePersistedDocumentAndIgnoresItsRetainedCopy()
    {
        using var h = new Harness();
        var payload = Documents.Json(Documents.Realistic(7));
        await h.Enforcer.SubmitAsync(payload, Ct);
        var firstScript = h.Runner.Drain().Single(c => c.IsNft && c.Mutates).Stdin;
        Assert.False(File.Exists(Path.Combine(h.Options.StateDirectory, "desired.json.tmp")));

        var restarted = h.New();
        var restored = await restarted.RestoreAsync(Ct);
        var retained = await restarted.SubmitAsync(payload, Ct);

        Assert.Equal(7, restored.Report.ObservedGeneration);
        Assert.Equal(firstScript, h.Runner.Drain().Single(c => c.IsNft && c.Mutates).Stdin);
        Assert.False(retained.KernelChanged);
    }

    [Fact]
    public async Task RestoreWithoutPersistedDocumentBuildsTheTreesAtLineRate()
    {
        using var h = new Harness();

        var outcome = await h.Enforcer.RestoreAsync(Ct);

        Assert.Equal(0, outcome.Report.ObservedGeneration);
        var batch = h.Runner.Drain().Single(c => c.IsNetlinkTc && c.Mutates);
        Assert.Contains("class replace dev lan0 parent 1: classid 1:1 htb rate 47500kbit ceil 47500kbit", batch.Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelFailureMarksPoliciesFailedWithTheKernelsWords()
    {
        using var h = new Harness(tc: new FailingTc());

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.Equal(FailingTc.Error, outcome.Report.Policies[0].Reason);
        Assert.Equal(0, h.Runner.Drain().Count(c => c.File == "tc"));
    }

    [Fact]
    public async Task NetlinkRefusedFallsBackToOneTcBatchProcessForTheChangesAndTcShowForTheReadBack()
    {
        using var h = new Harness(tc: new RefusingTc());

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        var processes = h.Runner.Drain().Where(c => c.File == "tc").ToList();
        var batch = Assert.Single(processes, c => c.Args.SequenceEqual(["-batch", "-"]));
        Assert.Equal(16, batch.Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(processes, c => c.Args.SequenceEqual(["qdisc", "show", "dev", "wan0"]));
    }

    [Fact]
    public async Task NetlinkRefusedAndTcFailingReportsTcsOwnError()
    {
        using var h = new Harness(inner: new FailingRunner(), tc: new RefusingTc());

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.Equal("tc exited 1: no tc here", outcome.Report.Policies[0].Reason);
    }

    [Fact]
    public async Task NftablesRefusingTheTransactionMarksPoliciesFailedWithItsError()
    {
        using var h = new Harness(nft: new RefusingNft());

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.Equal("nft returned 1: Error: Could not process rule: No such file or directory", outcome.Report.Policies[0].Reason);
        Assert.DoesNotContain(h.Runner.Drain(), c => c.IsNetlinkTc && c.Mutates);
    }

    private sealed class RefusingNft : CamaraQos.Agent.Enforcement.INftables
    {
        public Task<CamaraQos.Agent.Enforcement.NftResult> RunAsync(string commands, bool json, CancellationToken ct) =>
            Task.FromResult(new CamaraQos.Agent.Enforcement.NftResult(1, "", "Error: Could not process rule: No such file or directory\n"));
    }

    [Fact]
    public async Task AFailedApplyIsRetriedWithBackoffAndReportsAppliedOnceTheKernelTakesIt()
    {
        var kernel = new FailingTc();
        using var h = new Harness(tc: kernel);
        var failed = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        Assert.All(failed.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));

        // Not before the first backoff (1 s); then again at 1 s, and the next one waits 2 s.
        h.Time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.NotNull(await h.Enforcer.ExpireAsync(Ct));
        h.Time.Advance(TimeSpan.FromMilliseconds(1900));
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));

        kernel.Failing = false;   // the transient cause is gone
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        var healed = await h.Enforcer.ExpireAsync(Ct);
        Assert.NotNull(healed);
        Assert.Equal(1, healed.Report.ObservedGeneration);
        Assert.All(healed.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        // Applied: no more retries.
        h.Time.Advance(RetryMaxPlus);
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));
    }

    private static readonly TimeSpan RetryMaxPlus = CamaraQos.Agent.Enforcement.Enforcer.RetryMax + TimeSpan.FromSeconds(1);

    private sealed class FailingRunner : CamaraQos.Agent.Enforcement.ICommandRunner
    {
        public bool Failing { get; set; } = true;

        public Task<CamaraQos.Agent.Enforcement.CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct) =>
            Task.FromResult(Failing
                ? new CamaraQos.Agent.Enforcement.CommandResult(1, "", $"no {file} here")
                : new CamaraQos.Agent.Enforcement.CommandResult(0, "", ""));
    }

    /// <summary>A kernel that refuses every tc change while <see cref="Failing"/> (as rtnetlink words it); else a fake kernel.</summary>
    private sealed class FailingTc : CamaraQos.Agent.Enforcement.ITrafficControl
    {
        public const string Error = "tc over rtnetlink: qdisc replace dev wan0 root handle 1: htb default 20: Invalid argument (errno 22)";
        private readonly FakeTrafficControl _kernel = new();

        public bool Failing { get; set; } = true;

        public Task<CamaraQos.Agent.Enforcement.TcResult> ApplyAsync(IReadOnlyList<CamaraQos.Agent.Enforcement.TcCommand> objects, CancellationToken ct) =>
            Failing ? Task.FromResult(new CamaraQos.Agent.Enforcement.TcResult(Error)) : _kernel.ApplyAsync(objects, ct);

        public Task<CamaraQos.Agent.Enforcement.TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) => _kernel.ReadAsync(devices, ct);

        public Task<CamaraQos.Agent.Enforcement.TcResult> DeleteRootAsync(string device, CancellationToken ct) => _kernel.DeleteRootAsync(device, ct);
    }

    /// <summary>A kernel without rtnetlink for tc (the socket or the request type refused).</summary>
    private sealed class RefusingTc : CamaraQos.Agent.Enforcement.ITrafficControl
    {
        private static Task<T> Refused<T>() => Task.FromException<T>(new CamaraQos.Agent.Enforcement.TcRefusedException("rtnetlink: Operation not supported (errno 95)"));

        public Task<CamaraQos.Agent.Enforcement.TcResult> ApplyAsync(IReadOnlyList<CamaraQos.Agent.Enforcement.TcCommand> objects, CancellationToken ct) => Refused<CamaraQos.Agent.Enforcement.TcResult>();

        public Task<CamaraQos.Agent.Enforcement.TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) => Refused<CamaraQos.Agent.Enforcement.TcHeld>();

        public Task<CamaraQos.Agent.Enforcement.TcResult> DeleteRootAsync(string device, CancellationToken ct) => Refused<CamaraQos.Agent.Enforcement.TcResult>();
    }
}
