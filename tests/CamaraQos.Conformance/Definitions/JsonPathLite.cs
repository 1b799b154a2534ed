using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CamaraQos.Conformance.Definitions;

/// <summary>
/// The JSON path subset CAMARA's test definitions use: <c>$.a.b</c>, <c>$.a[0]</c>, <c>$.a[*]</c> (every
/// element; setting creates one element), <c>$[0]</c>. A bare name (<c>"qosProfile"</c>) means <c>$.qosProfile</c>.
/// </summary>
public static partial class JsonPathLite
{
    [GeneratedRegex(@"\.([^.\[\]]+)|\[(\*|\d+)\]")]
    private static partial Regex Segment();

    public static IReadOnlyList<string> Parse(string path)
    {
        var p = path.Trim();
        if (!p.StartsWith('$'))
        {
            p = "$." + p;
        }
        return [.. Segment().Matches(p[1..]).Select(m => m.Groups[1].Success ? m.Groups[1].Value : "[" + m.Groups[2].Value + "]")];
    }

    /// <summary>Every node the path selects (several with <c>[*]</c>); missing properties select nothing.</summary>
    public static IReadOnlyList<JsonNode?> Select(JsonNode? root, string path)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var seg in Parse(path))
        {
            current = current.SelectMany(n => Step(n, seg)).ToList();
        }
        return [.. current];
    }

    /// <summary>True when the property exists (a JSON null counts as present).</summary>
    public static bool Exists(JsonNode? root, string path) => Select(root, path).Count > 0;

    public static JsonNode? Get(JsonNode? root, string path) => Select(root, path).FirstOrDefault();

    private static IEnumerable<JsonNode?> Step(JsonNode? node, string seg)
    {
        if (seg == "[*]")
        {
            return node is JsonArray a ? a : [];
        }
        if (seg.StartsWith('['))
        {
            var i = int.Parse(seg[1..^1], System.Globalization.CultureInfo.InvariantCulture);
            return node is JsonArray a && i < a.Count ? [a[i]] : [];
        }
        return node is JsonObject o && o.TryGetPropertyValue(seg, out var v) ? [v] : [];
    }

    /// <summary>Sets the value, creating objects (and for <c>[*]</c>/<c>[0]</c> one-element arrays) on the way.</summary>
    public static void Set(JsonNode root, string path, JsonNode? value)
    {
        var segs = Parse(path);
        var node = root;
        for (var i = 0; i < segs.Count; i++)
        {
            var last = i == segs.Count - 1;
            var seg = segs[i];
            if (seg.StartsWith('['))
            {
                var array = (JsonArray)node;
                var index = seg == "[*]" ? 0 : int.Parse(seg[1..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (seg == "[*]" && last)
                {
                    array.Clear();
                    array.Add(value?.DeepClone());
                    return;
                }
                while (array.Count <= index)
                {
                    array.Add(segs[i + 1 < segs.Count ? i + 1 : i].StartsWith('[') ? new JsonArray() : new JsonObject());
                }
                if (last)
                {
                    array[index] = value?.DeepClone();
                    return;
                }
                node = array[index]!;
                continue;
            }
            var obj = (JsonObject)node;
            if (last)
            {
                obj[seg] = value?.DeepClone();
                return;
            }
            if (obj[seg] is not JsonNode next || (next is not JsonObject && next is not JsonArray))
            {
                next = segs[i + 1].StartsWith('[') ? new JsonArray() : new JsonObject();
                obj[seg] = next;
            }
            node = next;
        }
    }

    public static void Remove(JsonNode root, string path)
    {
        var segs = Parse(path);
        var parent = Select(root, "$" + string.Concat(segs.Take(segs.Count - 1).Select(s => s.StartsWith('[') ? s : "." + s)));
        foreach (var p in parent)
        {
            if (p is JsonObject o)
            {
                o.Remove(segs[^1]);
            }
        }
    }
}
