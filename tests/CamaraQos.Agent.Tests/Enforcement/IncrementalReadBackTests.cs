using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>The read-back after a transaction that changed a few map elements reads those elements, not the table.</summary>
public class IncrementalReadBackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Without(long generation) => Documents.Json(Documents.State(generation, Documents.TcpFlow(), Documents.HomeTv()));

    /// <summary>One more session of a class already in use (no new class chain): a change of map elements only.</summary>
    private static byte[] With(long generation)
    {
        var tcp = Documents.TcpFlow();
        var another = tcp with { Id = "qod-tcp2", Match = tcp.Match with { DeviceIp = "192.168.1.20" } };
        return Documents.Json(Documents.State(generation, tcp, another, Documents.HomeTv()));
    }

    [Fact]
    public async Task AnAddedSessionIsReadBackByItsElementsWithoutListingTheTable()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Without(1), Ct);
        h.Runner.Drain();

        var outcome = await h.Enforcer.SubmitAsync(With(2), Ct);

        var reads = h.Runner.Drain().Where(c => c.IsNft && !c.Mutates).Select(c => c.Stdin!).ToList();
        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Applied, p.Outcome));
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.StartsWith("get element inet camaraqos ", r, StringComparison.Ordinal));
        Assert.Contains(reads, r => r.Contains("192.168.1.20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnElementTheKernelDoesNotHoldAfterAnIncrementalChangeMakesThePoliciesFailed()
    {
        var kernel = new FakeNftKernel();
        using var h = new Harness(nft: kernel);
        await h.Enforcer.SubmitAsync(Without(1), Ct);
        kernel.LoseAddsContaining = "192.168.1.20";

        var outcome = await h.Enforcer.SubmitAsync(With(2), Ct);

        Assert.All(outcome.Report.Policies, p => Assert.Equal(PolicyOutcome.Failed, p.Outcome));
        Assert.StartsWith("read-back: map ", outcome.Report.Policies[0].Reason, StringComparison.Ordinal);
        Assert.Contains("lacks an element just added", outcome.Report.Policies[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIncrementalChangeReportsTheSameHashAsAFullReadBackOfTheSameState()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Without(1), Ct);
        var incremental = await h.Enforcer.SubmitAsync(With(2), Ct);

        var restarted = await h.New().RestoreAsync(Ct);

        Assert.Contains(h.Runner.Drain(), c => c.IsNft && c.Stdin!.StartsWith("list table", StringComparison.Ordinal));
        Assert.Equal(incremental.Report.KernelHash, restarted.Report.KernelHash);
    }

    [Fact]
    public async Task TheTableIsListedInFullAgainOnceTheFullReadBackIsDueHoweverSmallTheChange()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Without(1), Ct);
        h.Time.Advance(KernelApplier.FullReadBackEvery);
        h.Runner.Drain();

        await h.Enforcer.SubmitAsync(With(2), Ct);

        var reads = h.Runner.Drain().Where(c => c.IsNft && !c.Mutates).Select(c => c.Stdin!).ToList();
        Assert.Equal(["list table inet camaraqos"], reads);
    }
}
