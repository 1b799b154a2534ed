using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace CamaraQos.Controller.OpenApi;

/// <summary>
/// The normative CAMARA documents, embedded in the assembly, served with <c>servers</c> pointing at this
/// controller. The YAML keeps the spec's own text (only the top-level <c>servers</c> block is replaced);
/// the JSON is the same document converted.
/// </summary>
public sealed class SpecDocuments
{
    private readonly ConcurrentDictionary<string, string> _yaml = new();
    private readonly ConcurrentDictionary<string, JsonObject> _json = new();

    public static string ResourceName(CamaraApi api) => "CamaraQos.Controller.OpenApi.specs." + api.SpecFile;

    public static CamaraApi? Find(string name) => CamaraApis.All.FirstOrDefault(a => a.Name == name);

    /// <summary>The spec text exactly as released.</summary>
    public string Original(CamaraApi api) => _yaml.GetOrAdd(api.SpecFile, _ =>
    {
        using var stream = typeof(SpecDocuments).Assembly.GetManifestResourceStream(ResourceName(api))
            ?? throw new InvalidOperationException($"Spec {api.SpecFile} is not embedded in the controller.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public string Title(CamaraApi api)
    {
        var info = Parsed(api)["info"];
        return $"{info?["title"]} {info?["version"]}";
    }

    public string Yaml(CamaraApi api, string serverUrl) => ReplaceServers(Original(api), serverUrl);

    public JsonObject Json(CamaraApi api, string serverUrl)
    {
        var document = (JsonObject)Parsed(api).DeepClone();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl });
        return document;
    }

    private JsonObject Parsed(CamaraApi api) => _json.GetOrAdd(api.SpecFile, _ =>
        YamlJson.Parse(Original(api)) as JsonObject
            ?? throw new InvalidOperationException($"Spec {api.SpecFile} is not a YAML mapping."));

    /// <summary>
    /// Replaces the top-level <c>servers:</c> block (the key at column 0 and the indented or list lines
    /// after it) with one server, leaving every other byte of the spec as released.
    /// </summary>
    public static string ReplaceServers(string yaml, string serverUrl)
    {
        var lines = yaml.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd('\r') == "servers:");
        var block = $"servers:\n  - url: \"{serverUrl}\"";
        if (start < 0)
        {
            return block + "\n" + yaml;
        }
        var end = start + 1;
        while (end < lines.Length && (lines[end].TrimEnd('\r').Length == 0 || lines[end][0] is ' ' or '-' or '#'))
        {
            end++;
        }
        return string.Join('\n', [.. lines[..start], block, "", .. lines[end..]]);
    }
}
