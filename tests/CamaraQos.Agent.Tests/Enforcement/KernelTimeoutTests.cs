using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class KernelTimeoutTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AKernelCallThatNeverAnswersIsGivenUpAtTheTimeoutReportedFailedAndRetriedInFull()
    {
        var nft = new HangingNft();
        using var h = new Harness(nft: nft);

        var submit = h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var failed = await AdvanceUntilDoneAsync(h, submit);

        Assert.All(failed.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.Equal("KernelTimeoutException: libnftables did not answer within 10 s", failed.Report.Policies[0].Reason);
        Assert.True(nft.GivenUp >= 1, "the hung call's token was cancelled (the real library abandons its thread)");
        Assert.Equal(1, failed.Report.ObservedGeneration);

        nft.Hanging = false;
        h.Runner.Drain();
        h.Time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Null(await h.Enforcer.ExpireAsync(Ct));
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        var retried = await h.Enforcer.ExpireAsync(Ct);

        Assert.NotNull(retried);
        Assert.All(retried.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        // Whether the hung transaction landed is unknown, so the retry replaces the whole table.
        Assert.StartsWith("add table inet camaraqos\ndelete table inet camaraqos\n",
            h.Runner.Drain().First(c => c.IsNft && c.Mutates).Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetlinkTcCallThatNeverAnswersIsGivenUpAtTheTimeoutReportedFailedAndRetried()
    {
        var tc = new HangingTc();
        using var h = new Harness(tc: tc);

        var submit = h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var failed = await AdvanceUntilDoneAsync(h, submit);

        Assert.All(failed.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.Equal("KernelTimeoutException: tc did not answer within 10 s", failed.Report.Policies[0].Reason);
        Assert.True(tc.GivenUp >= 1, "the hung call's token was cancelled (RtnetlinkTc abandons its thread)");

        tc.Hanging = false;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var retried = await h.Enforcer.ExpireAsync(Ct);

        Assert.NotNull(retried);
        Assert.All(retried.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
    }

    [Fact]
    public async Task ACapabilityProbeThatNeverAnswersIsGivenUpAndThePoliciesAreAppliedWithTheFallbackLeaves()
    {
        var probe = new HangingProbe();
        using var h = new Harness(probe: probe);

        var submit = h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        for (var i = 0; i < 100 && !submit.IsCompleted; i++)
        {
            h.Time.Advance(Enforcer.ProbeTimeout / 10);
            await Task.WhenAny(submit, Task.Delay(20, Ct));
        }
        var applied = await submit.WaitAsync(TimeSpan.FromSeconds(30), Ct);   // without the bound: a TimeoutException here

        Assert.Equal(1, probe.GivenUp);
        Assert.All(applied.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        Assert.Contains(h.Runner.Drain(), c => c.Stdin?.Contains(" bfifo", StringComparison.Ordinal) == true);
        // The gate is free again: the expiry still runs.
        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.NotNull(await h.Enforcer.ExpireAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    /// <summary>Moves the fake clock one timeout at a time until the call returns (each hung call costs one).</summary>
    private static async Task<ReconcileOutcome> AdvanceUntilDoneAsync(Harness h, Task<ReconcileOutcome> call)
    {
        for (var i = 0; i < 1000 && !call.IsCompleted; i++)
        {
            h.Time.Advance(KernelApplier.CallTimeout);
            await Task.WhenAny(call, Task.Delay(20, Ct));
        }
        return await call;
    }

    /// <summary>A libnftables that never answers while <see cref="Hanging"/>, whatever its token says.</summary>
    private sealed class HangingNft : INftables
    {
        private readonly FakeNftKernel _kernel = new();
        private int _givenUp;

        public volatile bool Hanging = true;

        public int GivenUp => Volatile.Read(ref _givenUp);

        public Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
        {
            if (!Hanging)
            {
                return _kernel.RunAsync(commands, json, ct);
            }
            ct.Register(() => Interlocked.Increment(ref _givenUp));
            return new TaskCompletionSource<NftResult>().Task;
        }
    }

    /// <summary>A tc door that never answers while <see cref="Hanging"/>, whatever its token says.</summary>
    private sealed class HangingTc : ITrafficControl
    {
        private readonly FakeTrafficControl _kernel = new();
        private int _givenUp;

        public volatile bool Hanging = true;

        public int GivenUp => Volatile.Read(ref _givenUp);

        public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct) => Hang(ct) ?? _kernel.ApplyAsync(objects, ct);

        public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) => Hang<TcHeld>(ct) ?? _kernel.ReadAsync(devices, ct);

        public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct) => Hang(ct) ?? _kernel.DeleteRootAsync(device, ct);

        private Task<TcResult>? Hang(CancellationToken ct) => Hang<TcResult>(ct);

        private Task<T>? Hang<T>(CancellationToken ct)
        {
            if (!Hanging)
            {
                return null;
            }
            ct.Register(() => Interlocked.Increment(ref _givenUp));
            return new TaskCompletionSource<T>().Task;
        }
    }

    /// <summary>A capability probe whose processes never end, whatever its token says.</summary>
    private sealed class HangingProbe : ICapabilityProbe
    {
        private int _givenUp;

        public int GivenUp => Volatile.Read(ref _givenUp);

        public Task<AgentCapabilities> ProbeAsync(CancellationToken ct)
        {
            ct.Register(() => Interlocked.Increment(ref _givenUp));
            return new TaskCompletionSource<AgentCapabilities>().Task;
        }
    }
}
