using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// A CloudEvents 1.0 event in structured JSON mode (CloudEvents JSON format §3; CAMARA
/// <c>CloudEvent</c>: id, source, type, specversion, time required; datacontenttype application/json).
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("datacontenttype")] string DataContentType,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    public const string MediaType = "application/cloudevents+json";

    /// <summary>A new event with a unique id, stamped now (UTC, so it serializes with a zone).</summary>
    public static CloudEvent Create<T>(string source, string type, T data, JsonTypeInfo<T> dataType, TimeProvider time) =>
        new(Guid.NewGuid().ToString(), source, type, "1.0", time.GetUtcNow().ToUniversalTime(), "application/json",
            JsonSerializer.SerializeToElement(data, dataType));

    public string ToJson() => JsonSerializer.Serialize(this, NotificationJson.Default.CloudEvent);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CloudEvent))]
[JsonSerializable(typeof(SinkCredential))]
public sealed partial class NotificationJson : JsonSerializerContext;
