using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// Every DateTimeOffset a client sends is read through <see cref="Rfc3339"/>: the JSON reader alone
/// would take <c>2099-01-01T00:00:00</c>, without a zone, as the server's local time.
/// </summary>
public sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Rfc3339.TryParse(reader.GetString()!, out var at)
            ? at
            : throw new JsonException("Expected an RFC 3339 date-time with a time zone.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
