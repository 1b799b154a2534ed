using Microsoft.Extensions.Configuration;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Who is reporting: <c>AgentId</c> from <c>Agent:Id</c>, <c>BootEpoch</c> = Unix seconds when this process
/// started (one value per process, so a late Last Will with an older epoch is recognisable, docs/ARCHITECTURE.md §4).
/// Registered as a singleton by <see cref="EnforcementServiceCollectionExtensions.AddEnforcement"/> with
/// TryAdd, so Control can register its own first and both features share one identity.
/// </summary>
public sealed record AgentIdentity(string AgentId, long BootEpoch)
{
    public static AgentIdentity FromConfiguration(IConfiguration config, TimeProvider time) =>
        new(config["Agent:Id"] is { Length: > 0 } id ? id : Environment.MachineName, time.GetUtcNow().ToUnixTimeSeconds());
}
