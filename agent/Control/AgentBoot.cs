using System.Reflection;
using CamaraQos.Agent.Enforcement;

namespace CamaraQos.Agent.Control;

/// <summary>
/// This run of the agent as the birth and the Last Will announce it. The epoch is the shared
/// <see cref="AgentIdentity.BootEpoch"/>, so <c>status</c> and <c>reported</c> carry the same value and the
/// controller can drop a late will that belongs to an earlier run (docs/ARCHITECTURE.md §4).
/// </summary>
public sealed record AgentBoot(long Epoch, string SoftwareVersion)
{
    public static string Version { get; } =
        typeof(AgentBoot).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static AgentBoot Of(AgentIdentity identity) => new(identity.BootEpoch, Version);
}
