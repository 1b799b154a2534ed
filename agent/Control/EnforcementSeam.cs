// TEMPORARY copy of the seam the `enforce` branch implements (agent/Enforcement). Delete this file when
// `git merge main` brings the real declarations in.
using CamaraQos.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Agent.Enforcement;

public interface IEnforcer
{
    Task<ReconcileOutcome> SubmitAsync(ReadOnlyMemory<byte> payload, CancellationToken ct);
    Task<ReconcileOutcome> RestoreAsync(CancellationToken ct);
    Task<ReconcileOutcome?> ExpireAsync(CancellationToken ct);
    Task CleanupAsync(CancellationToken ct);
    ReportedState CurrentReport { get; }
    event Action<ReportedState>? Reported;
}

public sealed record ReconcileOutcome(ReportedState Report, bool KernelChanged);

public interface ICapabilityProbe
{
    Task<AgentCapabilities> ProbeAsync(CancellationToken ct);
}

public static class EnforcementSetup
{
    /// <summary>Until the enforce branch lands there is no enforcer: the host fails to start, saying so.</summary>
    public static IServiceCollection AddEnforcement(this IServiceCollection services, IConfiguration config) => services;
}
