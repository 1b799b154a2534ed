using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Shared;

/// <summary>Source-generated JSON for the wire contract (NativeAOT on the agent: no reflection).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(ReportedState))]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(TelemetryReport))]
public sealed partial class ContractJson : JsonSerializerContext;
