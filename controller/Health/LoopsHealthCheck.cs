using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CamaraQos.Controller.Health;

/// <summary>Healthy while every background loop beats; names the wedged or dead ones.</summary>
public sealed class LoopsHealthCheck(LoopHeartbeats heartbeats) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loops = heartbeats.Check();
        var bad = loops.Where(l => l.Status != LoopStatus.Alive).ToList();
        var result = bad.Count == 0
            ? HealthCheckResult.Healthy($"{loops.Count} loops alive")
            : HealthCheckResult.Unhealthy(string.Join("; ", bad.Select(l => $"{l.Name} {l.Status.ToString().ToLowerInvariant()}: {l.Description}")));
        return Task.FromResult(result);
    }
}
