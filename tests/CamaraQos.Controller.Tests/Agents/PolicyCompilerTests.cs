using CamaraQos.Controller.Agents;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public class PolicyCompilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Policy P(string id, DateTimeOffset? notAfter = null, int dscp = Dscp.EF) =>
        new(id, PolicyKind.Flow, new FlowMatch("192.168.1.10", null, null, null, null, FlowProtocol.Any),
            Directions.Both, dscp, TrafficClass.Priority, 1000, 1000, null, null, null, notAfter);

    private static FlowMonitor M(string id) => new(id, "192.168.1.10", null, null, new QualityThresholds(50, null, null, null, null));

    [Fact]
    public void CompiledDocumentCarriesTheGenerationTimeAndSchemaVersion()
    {
        var doc = PolicyCompiler.Compile(7, Now, [P("a")], [M("m")]);
        Assert.Equal(7, doc.Generation);
        Assert.Equal(Now, doc.IssuedAt);
        Assert.Equal(global::CamaraQos.Shared.Contract.SchemaVersion, doc.SchemaVersion);
    }

    [Fact]
    public void PoliciesAndMonitorsAreSortedByIdWhateverTheInputOrder()
    {
        var one = PolicyCompiler.Compile(1, Now, [P("b"), P("a"), P("c")], [M("y"), M("x")]);
        var two = PolicyCompiler.Compile(1, Now, [P("c"), P("b"), P("a")], [M("x"), M("y")]);
        Assert.Equal(["a", "b", "c"], one.Policies.Select(p => p.Id));
        Assert.Equal(["x", "y"], one.Monitors.Select(m => m.Id));
        Assert.Equal(one.Policies, two.Policies);
        Assert.Equal(one.Monitors, two.Monitors);
    }

    [Fact]
    public void PoliciesWhoseNotAfterHasPassedAreDropped()
    {
        var doc = PolicyCompiler.Compile(1, Now, [P("past", Now.AddSeconds(-1)), P("edge", Now), P("future", Now.AddSeconds(1)), P("open")], []);
        Assert.Equal(["future", "open"], doc.Policies.Select(p => p.Id));
    }

    [Fact]
    public void DuplicateIdsKeepTheFirstListing()
    {
        var doc = PolicyCompiler.Compile(1, Now, [P("a", dscp: Dscp.EF), P("a", dscp: Dscp.CS1)], [M("m"), M("m")]);
        Assert.Equal(Dscp.EF, Assert.Single(doc.Policies).Dscp);
        Assert.Single(doc.Monitors);
    }

    [Fact]
    public void NoActiveResourcesCompileToAnEmptyDocumentNotANullOne()
    {
        var doc = PolicyCompiler.Compile(3, Now, [P("gone", Now.AddMinutes(-5))], []);
        Assert.Empty(doc.Policies);
        Assert.Empty(doc.Monitors);
    }

    [Fact]
    public void AGenerationBelowOneIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyCompiler.Compile(0, Now, [], []));
}
