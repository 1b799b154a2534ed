using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CamaraQos.Controller.OpenApi;
using NJsonSchema;

namespace CamaraQos.Conformance.Definitions;

/// <summary>
/// One CAMARA OpenAPI document (YAML read with the controller's <see cref="YamlJson"/>): operations by
/// operationId, and schemas by pointer (<c>/components/schemas/X</c> or <c>#/components/schemas/X</c>)
/// compiled for NJsonSchema, every component schema available as a definition.
/// </summary>
public sealed class OpenApiDocument
{
    private static readonly ConcurrentDictionary<string, OpenApiDocument> Loaded = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    private OpenApiDocument(string file, JsonObject document)
    {
        File = file;
        Document = document;
    }

    public string File { get; }
    public JsonObject Document { get; }

    public static OpenApiDocument Load(string path) => Loaded.GetOrAdd(path, p =>
        new OpenApiDocument(Path.GetFileName(p), YamlJson.Parse(System.IO.File.ReadAllText(p)) as JsonObject
            ?? throw new InvalidOperationException($"{p} is not an OpenAPI document.")));

    /// <summary>The method and path template of an operationId, or null when the spec has none.</summary>
    public (string Method, string Path)? Operation(string operationId)
    {
        foreach (var (path, item) in Document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, op) in item?.AsObject() ?? [])
            {
                if (op is JsonObject o && (string?)o["operationId"] == operationId)
                {
                    return (method.ToUpperInvariant(), path);
                }
            }
        }
        return null;
    }

    /// <summary>The operations at a path template (relative to the server URL), with whether they take a body.</summary>
    public IEnumerable<(string OperationId, string Method, bool HasBody)> OperationsAt(string pathTemplate) =>
        (Document["paths"]?[pathTemplate]?.AsObject() ?? [])
            .Where(p => p.Value is JsonObject o && o.ContainsKey("operationId"))
            .Select(p => ((string)p.Value!["operationId"]!, p.Key.ToUpperInvariant(), p.Value!.AsObject().ContainsKey("requestBody")));

    /// <summary>The operation whose JSON request body is the schema at <paramref name="pointer"/>, or null.</summary>
    public string? OperationTaking(string pointer)
    {
        var reference = "#/" + pointer.TrimStart('#').TrimStart('/');
        foreach (var (_, item) in Document["paths"]?.AsObject() ?? [])
        {
            foreach (var (_, op) in item?.AsObject() ?? [])
            {
                var schema = Resolve(op?["requestBody"])?["content"]?["application/json"]?["schema"];
                if (op is JsonObject o && (string?)schema?["$ref"] == reference)
                {
                    return (string?)o["operationId"];
                }
            }
        }
        return null;
    }

    /// <summary>The scopes an operation's security requirement names.</summary>
    public IReadOnlyList<string> OperationScopes(string? operationId)
    {
        var op = operationId is null ? null : Operation(operationId);
        var security = op is { } o ? Document["paths"]?[o.Path]?[o.Method.ToLowerInvariant()]?["security"] as JsonArray : null;
        return [.. (security ?? []).SelectMany(r => r!.AsObject().SelectMany(kv => kv.Value!.AsArray().Select(v => (string)v!)))];
    }

    /// <summary>The operationId of a method at a path template, or null.</summary>
    public string? OperationAt(string pathTemplate, string method) =>
        OperationsAt(pathTemplate).FirstOrDefault(o => o.Method == method.ToUpperInvariant()).OperationId;

    /// <summary>The node at a pointer such as <c>/components/schemas/SessionInfo</c>, <c>$ref</c>s followed.</summary>
    public JsonNode? Node(string pointer)
    {
        JsonNode? node = Document;
        foreach (var part in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = Resolve(node)?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }
        return Resolve(node);
    }

    public JsonNode? Resolve(JsonNode? node)
    {
        for (var hops = 0; node is JsonObject o && o["$ref"] is JsonValue r && hops < 32; hops++)
        {
            node = Node(r.GetValue<string>());
        }
        return node;
    }

    /// <summary>Nested causes first-hand (an allOf failure names the property that broke it).</summary>
    private static IEnumerable<string> Flatten(NJsonSchema.Validation.ValidationError e) =>
        e is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0
            ? child.Errors.SelectMany(kv => kv.Value).SelectMany(Flatten)
            : [$"{e.Path}: {e.Kind}"];

    /// <summary>What is wrong with <paramref name="value"/> against the schema at <paramref name="pointer"/> (empty: it complies).</summary>
    public IReadOnlyList<string> Validate(JsonNode? value, string pointer)
    {
        var schema = _schemas.GetOrAdd(pointer, p =>
        {
            var node = Node(p) ?? throw new InvalidOperationException($"{File} has no schema at {p}.");
            var root = new JsonObject
            {
                ["allOf"] = new JsonArray(OpenApiSchema.ToJsonSchema(node)),
                ["definitions"] = OpenApiSchema.ToJsonSchema(Document["components"]?["schemas"] ?? new JsonObject()),
            };
            return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
        });
        return [.. schema.Validate(value?.ToJsonString() ?? "null").SelectMany(Flatten)];
    }
}

/// <summary>
/// OpenAPI 3.0 Schema Objects → JSON Schema draft 4 for NJsonSchema: component <c>$ref</c>s become
/// <c>#/definitions/...</c>, <c>nullable</c> a "null" type; the OpenAPI-only <c>discriminator</c> is dropped.
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
