using System.Reflection;

namespace CamaraQos.Agent.Control;

/// <summary>
/// This run of the agent: the boot epoch (Unix milliseconds at start) is carried by the birth and by the
/// Last Will, so the controller can drop a late will that belongs to an earlier run (ARCHITECTURE.md §4).
/// </summary>
public sealed record AgentBoot(long Epoch, string SoftwareVersion)
{
    public static AgentBoot Start(TimeProvider time) => new(
        time.GetUtcNow().ToUnixTimeMilliseconds(),
        typeof(AgentBoot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
