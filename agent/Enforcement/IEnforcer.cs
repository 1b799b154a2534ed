using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>The seam Control calls: it hands over desired documents and publishes what comes back.</summary>
public interface IEnforcer
{
    /// <summary>Parses, validates, persists (atomically) and applies the raw retained payload; never throws for bad input.</summary>
    Task<ReconcileOutcome> SubmitAsync(ReadOnlyMemory<byte> payload, CancellationToken ct);

    /// <summary>At start: loads the persisted document (if any) and enforces it, before any broker connection.</summary>
    Task<ReconcileOutcome> RestoreAsync(CancellationToken ct);

    /// <summary>Re-evaluates <c>notAfter</c>; null when no policy expired since the last apply.</summary>
    Task<ReconcileOutcome?> ExpireAsync(CancellationToken ct);

    /// <summary>Removes our nft table and our qdiscs on the configured interfaces, nothing else.</summary>
    Task CleanupAsync(CancellationToken ct);

    /// <summary>The latest report (observedGeneration, per-policy results, kernelHash, lastRejection).</summary>
    ReportedState CurrentReport { get; }

    /// <summary>The monitors of the latest accepted document (issue 4): what Measurement judges every interval.</summary>
    IReadOnlyList<FlowMonitor> Monitors { get; }

    /// <summary>Raised after every apply, rejection or expiry; Control publishes it retained.</summary>
    event Action<ReportedState>? Reported;
}

/// <summary>What one reconcile produced, and whether it touched the kernel.</summary>
public sealed record ReconcileOutcome(ReportedState Report, bool KernelChanged);

/// <summary>Which qdiscs/classifiers load and which nft statements work; probing leaves nothing behind.</summary>
public interface ICapabilityProbe
{
    Task<AgentCapabilities> ProbeAsync(CancellationToken ct);
}
