using System.Text.Json.Nodes;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// OpenAPI 3.0 Schema Objects → JSON Schema (draft 4) that NJsonSchema validates: component references
/// become <c>#/definitions/...</c>, <c>nullable</c> becomes a "null" type, and the OpenAPI-only
/// <c>discriminator</c> is dropped (the <c>allOf</c>/<c>oneOf</c> it annotates still validates).
/// </summary>
public static class OpenApiSchema
{
    private const string ComponentSchemas = "#/components/schemas/";

    public static JsonNode ToJsonSchema(JsonNode node) => node switch
    {
        JsonObject o => Convert(o),
        JsonArray a => new JsonArray([.. a.Select(n => n is null ? null : ToJsonSchema(n))]),
        _ => node.DeepClone(),
    };

    private static JsonObject Convert(JsonObject o)
    {
        var result = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (key == "discriminator" && value is JsonObject d && d.ContainsKey("propertyName"))
            {
                continue;
            }
            if (key == "$ref" && value is JsonValue r && r.GetValue<string>().StartsWith(ComponentSchemas, StringComparison.Ordinal))
            {
                result[key] = "#/definitions/" + r.GetValue<string>()[ComponentSchemas.Length..];
                continue;
            }
            result[key] = value is null ? null : ToJsonSchema(value);
        }
        if (result["nullable"] is JsonValue n && n.GetValue<bool>() && result["type"] is JsonValue t)
        {
            result["type"] = new JsonArray(t.GetValue<string>(), "null");
            result.Remove("nullable");
        }
        return result;
    }
}
