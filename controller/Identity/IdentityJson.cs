using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.Identity;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Subscriber))]
[JsonSerializable(typeof(SubscriberBody))]
internal sealed partial class IdentityJson : JsonSerializerContext;
