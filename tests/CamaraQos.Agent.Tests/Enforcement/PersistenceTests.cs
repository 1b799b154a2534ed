using CamaraQos.Agent.Enforcement;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>The desired document is staged before the kernel transaction and made durable after it.</summary>
public class PersistenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sees, at the moment of the transaction, which document the disk holds.</summary>
    private sealed class DiskWitness(string stateDirectory) : INftables
    {
        private readonly FakeNftKernel _kernel = new();

        public List<(bool Committed, bool Staged)> AtTransactions { get; } = [];

        public Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
        {
            if (!json && !commands.StartsWith("get ", StringComparison.Ordinal))
            {
                AtTransactions.Add((File.Exists(Path.Combine(stateDirectory, "desired.json")),
                    File.Exists(Path.Combine(stateDirectory, "desired.json.tmp"))));
            }
            return _kernel.RunAsync(commands, json, ct);
        }
    }

    [Fact]
    public async Task TheDocumentIsStagedBeforeTheTransactionAndCommittedAfterIt()
    {
        var options = Documents.Options();
        var witness = new DiskWitness(options.StateDirectory);
        using var h = new Harness(options, nft: witness);

        var outcome = await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);

        Assert.Equal([(false, true)], witness.AtTransactions);
        Assert.False(File.Exists(Path.Combine(options.StateDirectory, "desired.json.tmp")));
        Assert.Equal(Documents.Json(Documents.Realistic(1)), await File.ReadAllBytesAsync(Path.Combine(options.StateDirectory, "desired.json"), Ct));
        Assert.Equal(1, outcome.Report.ObservedGeneration);
    }

    [Fact]
    public async Task ARestartAfterACrashBetweenTransactionAndCommitRestoresTheNewerStagedDocument()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        // What a crash right after the transaction of generation 2 leaves: the staged file, not yet renamed.
        await File.WriteAllBytesAsync(Path.Combine(h.Options.StateDirectory, "desired.json.tmp"), Documents.Json(Documents.Realistic(2)), Ct);

        var restored = await h.New().RestoreAsync(Ct);

        Assert.Equal(2, restored.Report.ObservedGeneration);
        Assert.Equal(Documents.Json(Documents.Realistic(2)), await File.ReadAllBytesAsync(Path.Combine(h.Options.StateDirectory, "desired.json"), Ct));
    }

    [Fact]
    public async Task AHalfWrittenStagedDocumentIsIgnoredAndTheCommittedOneRestored()
    {
        using var h = new Harness();
        await h.Enforcer.SubmitAsync(Documents.Json(Documents.Realistic(1)), Ct);
        var half = Documents.Json(Documents.Realistic(2));
        await File.WriteAllBytesAsync(Path.Combine(h.Options.StateDirectory, "desired.json.tmp"), half[..(half.Length / 2)], Ct);

        var restored = await h.New().RestoreAsync(Ct);

        Assert.Equal(1, restored.Report.ObservedGeneration);
        Assert.All(restored.Report.Policies, p => Assert.Equal(CamaraQos.Shared.PolicyOutcome.Applied, p.Outcome));
    }
}
