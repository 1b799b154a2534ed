using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// Source-generated JSON for the common layer. Feature folders declare their own contexts and add them
/// to the resolver chain in <see cref="CamaraCommon"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorInfo))]
public sealed partial class ControllerJson : JsonSerializerContext;
