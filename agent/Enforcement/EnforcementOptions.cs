using CamaraQos.Agent.Configuration;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Where and how much the agent shapes: Enforcement's view of the one <see cref="AgentSettings"/>, which read
/// and validated the keys (docs/ARCHITECTURE.md §8, section <c>Agent</c>).
/// </summary>
public sealed class EnforcementOptions
{
    public string WanInterface { get; set; } = "";
    public string[] LanInterfaces { get; set; } = [];
    public int UplinkKbps { get; set; }
    public int DownlinkKbps { get; set; }
    public string StateDirectory { get; set; } = AgentSettings.DefaultStateDirectory;
    public int MaxDocumentBytes { get; set; } = 1_048_576;
    public int MaxPolicies { get; set; } = 4096;

    public static EnforcementOptions From(AgentSettings settings) => new()
    {
        WanInterface = settings.WanInterface,
        LanInterfaces = [.. settings.LanInterfaces],
        UplinkKbps = settings.UplinkKbps,
        DownlinkKbps = settings.DownlinkKbps,
        StateDirectory = settings.StateDirectory,
        MaxDocumentBytes = settings.MaxDocumentBytes,
        MaxPolicies = settings.MaxPolicies,
    };
}
