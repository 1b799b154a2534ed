using System.Text.Json.Nodes;

namespace CamaraQos.Conformance.Steps;

/// <summary>
/// Values that do not comply with a schema, found by trying candidates of the schema's own kind first
/// and keeping the first the spec's validator rejects (so "not compliant" is checked, not assumed).
/// </summary>
public static class Invalid
{
    public static JsonNode Value(ScenarioContext c, string pointer)
    {
        var schema = c.Spec.Node(pointer);
        var type = (string?)schema?["type"];
        JsonNode?[] candidates = type switch
        {
            "object" => [new JsonObject(), new JsonObject { ["publicAddress"] = "999.999.999.999" }, "not-an-object"],
            "integer" or "number" => [-1, 4294967296L, "not-a-number"],
            "array" => ["not-an-array", new JsonArray(new JsonObject())],
            _ => ["invalid value !#", "x", 12345],
        };
        foreach (var candidate in candidates)
        {
            if (c.Spec.Validate(candidate, pointer).Count > 0)
            {
                return candidate!.DeepClone();
            }
        }
        throw new InvalidOperationException($"No candidate value violates {pointer} in {c.Spec.File}.");
    }

    /// <summary>The default body with its first required property given a value of the wrong type.</summary>
    public static JsonNode Body(ScenarioContext c, string pointer)
    {
        var body = c.Spec.OperationTaking(pointer) is { } op && c.Api.Bodies.ContainsKey(op) ? c.DefaultBody(op) : c.DefaultBodyForResource();
        var schema = c.Spec.Node(pointer);
        var required = schema?["required"]?.AsArray().Select(r => (string?)r).FirstOrDefault()
            ?? body.Select(p => p.Key).FirstOrDefault() ?? "invalid";
        var propertyType = (string?)c.Spec.Resolve(schema?["properties"]?[required])?["type"];
        body[required] = propertyType is "string" ? JsonValue.Create(12345) : JsonValue.Create("not of the schema's type");
        if (c.Spec.Validate(body, pointer).Count == 0)
        {
            throw new InvalidOperationException($"Could not make a body that violates {pointer}.");
        }
        return body;
    }
}
