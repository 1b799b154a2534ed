using System.Text.Json;
using System.Text.Json.Serialization;
using CamaraQos.Controller.Agents;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Admin;

/// <summary><c>PUT /admin/v1/agents/{agentId}</c> body.</summary>
public sealed record AgentCredentials(string? Password);

/// <summary>One agent as the admin API lists it (docs/ARCHITECTURE.md §8); every key always present.</summary>
public sealed record AdminAgent(
    string AgentId,
    bool Online,
    long BootEpoch,
    AgentCapabilities? Capabilities,
    WanAddresses WanAddresses,
    IReadOnlyList<string> LanPrefixes,
    IReadOnlyList<LanDevice> Inventory,
    long DesiredGeneration,
    long ObservedGeneration)
{
    public static AdminAgent From(AgentView v) => new(
        v.AgentId, v.Online, v.BootEpoch, v.Capabilities, v.Wan, v.LanPrefixes, v.Inventory,
        v.DesiredGeneration, v.ObservedGeneration);
}

/// <summary>
/// Nulls are written (an Ethernet device's <c>band</c> is <c>null</c>, not missing), unlike the CAMARA
/// APIs' shared options; responses are serialized with this context's own options.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AgentCredentials))]
[JsonSerializable(typeof(AdminAgent))]
[JsonSerializable(typeof(AdminAgent[]))]
public sealed partial class AdminJson : JsonSerializerContext;
