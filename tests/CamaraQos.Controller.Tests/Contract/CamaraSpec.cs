using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CamaraQos.Controller.OpenApi;
using NJsonSchema;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// One CAMARA OpenAPI document, read as JSON (YAML → JSON with the controller's <see cref="YamlJson"/>),
/// with the look-ups a contract check needs: operations, responses (following <c>$ref</c>) and response
/// schemas compiled for NJsonSchema (docs/STACK.md: Microsoft.OpenApi's YAML readers crash here).
/// </summary>
public sealed class CamaraSpec
{
    private static readonly ConcurrentDictionary<string, CamaraSpec> Loaded = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly List<(string Template, Regex Pattern)> _templates;

    private CamaraSpec(string file, JsonObject document)
    {
        File = file;
        Document = document;
        _templates = [.. Paths.Select(p => p.Key)
            .OrderBy(t => t.Count(c => c == '{'))
            .Select(t => (t, new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{[^/]+?}", "[^/]+") + "$")))];
    }

    public string File { get; }
    public JsonObject Document { get; }
    private JsonObject Paths => Document["paths"]?.AsObject() ?? [];

    public static CamaraSpec Load(string specFile) => Loaded.GetOrAdd(specFile, f =>
        new CamaraSpec(f, YamlJson.Parse(System.IO.File.ReadAllText(SpecFiles.PathOf(f))) as JsonObject
            ?? throw new InvalidOperationException($"{f} is not an OpenAPI document.")));

    public JsonObject? Operation(string method, string pathTemplate) =>
        Paths[pathTemplate]?[method.ToLowerInvariant()] as JsonObject;

    /// <summary>The spec's path template matching a concrete path relative to the base path.</summary>
    public string? TemplateFor(string relativePath) =>
        _templates.FirstOrDefault(t => t.Pattern.IsMatch(relativePath)).Template;

    /// <summary>The response for a status (or <c>default</c>), with its key; <c>$ref</c>s followed.</summary>
    public (string Key, JsonObject Response)? Response(JsonObject operation, int status)
    {
        var responses = operation["responses"]?.AsObject();
        var key = responses?.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) == true
            ? status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : responses?.ContainsKey("default") == true ? "default" : null;
        return key is null ? null : (key, (JsonObject)Resolve(responses![key]!));
    }

    public IEnumerable<string> DocumentedStatuses(JsonObject operation) =>
        operation["responses"]?.AsObject().Select(r => r.Key) ?? [];

    /// <summary>Follows local <c>$ref</c> (<c>#/components/...</c>) until a node without one.</summary>
    public JsonNode Resolve(JsonNode node)
    {
        for (var hops = 0; node is JsonObject o && o["$ref"] is JsonValue r; hops++)
        {
            if (hops > 32)
            {
                throw new InvalidOperationException($"{File}: $ref loop at {r}.");
            }
            node = r.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)Document, (n, part) => n?[part.Replace("~1", "/").Replace("~0", "~")])
                ?? throw new InvalidOperationException($"{File}: unresolved $ref {r}.");
        }
        return node;
    }

    /// <summary>A response schema compiled once, with every component schema as a definition.</summary>
    public JsonSchema Schema(string cacheKey, JsonNode schema) => _schemas.GetOrAdd(cacheKey, _ =>
    {
        var root = new JsonObject
        {
            ["allOf"] = new JsonArray(OpenApiSchema.ToJsonSchema(schema)),
            ["definitions"] = OpenApiSchema.ToJsonSchema(Document["components"]?["schemas"] ?? new JsonObject()),
        };
        return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
    });
}
