using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>Everything of ours the kernel should hold: the nft table (skeleton and map elements) and the tc objects.</summary>
public sealed record KernelModel(NftPlan Nft, IReadOnlyList<TcCommand> Tc)
{
    /// <summary>
    /// desired = f(active policies, configured interfaces, capabilities) (docs/CONVENTIONS.md "Reconcile, don't
    /// script"). Upstream guarantees sum on the WAN tree; downstream guarantees on every LAN tree.
    /// </summary>
    public static KernelModel Plan(IReadOnlyList<TypedPolicy> active, EnforcementOptions o, string leafKind)
    {
        long up = 0, down = 0;
        foreach (var p in active)
        {
            if (p.Class != TrafficClass.Priority)
            {
                continue;
            }
            up += p.Directions.HasFlag(Directions.Upstream) ? p.GuaranteedUpKbps : 0;
            down += p.Directions.HasFlag(Directions.Downstream) ? p.GuaranteedDownKbps : 0;
        }
        var trees = new List<TcTree> { new(o.WanInterface, o.UplinkKbps, Saturate(up)) };
        trees.AddRange(o.LanInterfaces.Select(l => new TcTree(l, o.DownlinkKbps, Saturate(down))));
        var nft = NftPlanner.Plan(new NftModel(o.WanInterface, o.LanInterfaces, active));
        return new KernelModel(nft, TcRenderer.Render(new TcModel(trees, leafKind)));
    }

    /// <summary>The tc objects that differ from <paramref name="applied"/> (all of them when nothing is known).</summary>
    public IReadOnlyList<TcCommand> TcChangesFrom(KernelModel? applied)
    {
        if (applied is null)
        {
            return Tc;
        }
        var before = applied.Tc.ToDictionary(c => c.Key, c => c.Line, StringComparer.Ordinal);
        return [.. Tc.Where(c => !before.TryGetValue(c.Key, out var line) || line != c.Line)];
    }

    /// <summary>The one nft buffer (one transaction) that brings the table from <paramref name="applied"/> here, or null.</summary>
    public string? NftChangesFrom(KernelModel? applied) => Nft.ChangesFrom(applied?.Nft);

    private static int Saturate(long kbps) => (int)Math.Min(kbps, int.MaxValue);
}
