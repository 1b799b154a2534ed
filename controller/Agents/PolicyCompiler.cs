using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Every active resource of one agent → its whole desired document (§4: never a delta). Pure: the same
/// inputs give the same document byte for byte, whatever order the features listed their resources in.
/// </summary>
public static class PolicyCompiler
{
    /// <summary>
    /// Drops policies whose <c>NotAfter</c> is not after <paramref name="now"/> (the agent would remove
    /// them at once anyway), keeps the first policy or monitor of each id (features own disjoint id
    /// spaces; a repeat is a duplicate listing, not a second rule), and sorts both lists by id
    /// (ordinal) so the agent's diff sees no change where there is none.
    /// </summary>
    public static DesiredState Compile(
        long generation,
        DateTimeOffset now,
        IEnumerable<Policy> policies,
        IEnumerable<FlowMonitor> monitors)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generation);
        var active = policies
            .Where(p => p.NotAfter is not { } end || end > now)
            .DistinctBy(p => p.Id, StringComparer.Ordinal)
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToArray();
        var watched = monitors
            .DistinctBy(m => m.Id, StringComparer.Ordinal)
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToArray();
        return new DesiredState(Contract.SchemaVersion, generation, now, active, watched);
    }
}
