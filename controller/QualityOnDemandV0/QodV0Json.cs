using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.QualityOnDemandV0;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreateSessionV0))]
[JsonSerializable(typeof(ExtendSessionDurationV0))]
[JsonSerializable(typeof(SessionInfoV0))]
public sealed partial class QodV0Json : JsonSerializerContext;
