using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// What the kernel holds of our table, from <c>list table inet camaraqos</c> in libnftables JSON
/// (libnftables-json(5)): chain names and map elements, written back in the syntax the planner renders, so
/// the read-back compares element for element with what was meant. <see cref="Canonical"/> is the table in an
/// order independent of history: every item but maps as the kernel listed it, each map as its sorted elements.
/// </summary>
/// <param name="Parts">In canonical order: a map's name (its elements come from <paramref name="Maps"/>) or an item's JSON.</param>
public sealed record NftHeld(IReadOnlySet<string> Chains, IReadOnlyDictionary<string, IReadOnlySet<string>> Maps,
    IReadOnlyList<(string? Map, string Json)> Parts)
{
    public string Canonical
    {
        get
        {
            var canonical = new StringBuilder();
            foreach (var (map, json) in Parts)
            {
                if (map is null)
                {
                    canonical.Append(json).Append('\n');
                    continue;
                }
                // Kernel order of elements depends on insertion history; the hash must not.
                canonical.Append("map ").Append(map).Append('\n')
                    .AppendJoin('\n', Maps[map].Order(StringComparer.Ordinal)).Append('\n');
            }
            return canonical.ToString();
        }
    }

    /// <summary>
    /// This table after an incremental transaction that the kernel confirmed element by element: the same
    /// chains and rules, the maps with <paramref name="deltas"/> applied. Its <see cref="Canonical"/> is what a
    /// full listing would give if nothing else changed behind the agent's back (the periodic full read-back checks that).
    /// </summary>
    public NftHeld With(IReadOnlyList<NftMapDelta> deltas)
    {
        var maps = new Dictionary<string, IReadOnlySet<string>>(Maps, StringComparer.Ordinal);
        foreach (var d in deltas)
        {
            var set = Maps.TryGetValue(d.Map, out var held) ? held.ToHashSet(StringComparer.Ordinal) : [];
            var gone = d.Gone.Select(k => k + " : ").ToList();
            set.RemoveWhere(e => gone.Any(g => e.StartsWith(g, StringComparison.Ordinal)));
            set.UnionWith(d.Come.Select(e => e.ToString()));
            maps[d.Map] = set;
        }
        return this with { Maps = maps };
    }

    public static NftHeld Parse(string json)
    {
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var maps = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var parts = new List<(string?, string)>();
        using var doc = JsonDocument.Parse(json);
        // Chains are listed in creation order, which differs between a table loaded in one go and one grown by
        // diffs; ordered by name (rules keep their order within a chain), equal states hash equal.
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray().OrderBy(Position, StringComparer.Ordinal))
        {
            if (item.TryGetProperty("chain", out var chain))
            {
                chains.Add(chain.GetProperty("name").GetString()!);
            }
            if (item.TryGetProperty("map", out var map))
            {
                var name = map.GetProperty("name").GetString()!;
                maps[name] = map.TryGetProperty("elem", out var elem)
                    ? elem.EnumerateArray().Select(Element).ToHashSet(StringComparer.Ordinal)
                    : new HashSet<string>(StringComparer.Ordinal);
                parts.Add((name, ""));
            }
            else if (!item.TryGetProperty("metainfo", out _))
            {
                parts.Add((null, item.GetRawText()));
            }
        }
        return new NftHeld(chains, maps, parts);
    }

    private static string Position(JsonElement item) =>
        item.TryGetProperty("chain", out var c) ? "chain " + c.GetProperty("name").GetString()
        : item.TryGetProperty("rule", out var r) ? "chain " + r.GetProperty("chain").GetString() + " rule"
        : item.TryGetProperty("map", out var m) ? "map " + m.GetProperty("name").GetString()
        : "";

    /// <summary>Null when the kernel holds exactly the planned chains and elements; else what differs.</summary>
    public string? Difference(NftPlan meant)
    {
        var chains = meant.Classes.Select(c => c.Chain).Append("wash").Append("classify");
        var missingChains = chains.Where(c => !Chains.Contains(c)).ToList();
        if (missingChains.Count > 0)
        {
            return $"read-back: chains {string.Join(", ", missingChains)} missing";
        }
        foreach (var map in meant.Maps)
        {
            if (!Maps.TryGetValue(map.Name, out var held))
            {
                return $"read-back: map {map.Name} missing";
            }
            var want = map.Elements.Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
            if (!held.SetEquals(want))
            {
                var missing = want.Except(held).ToList();
                var extra = held.Except(want).ToList();
                return $"read-back: map {map.Name} holds {held.Count} elements, meant {want.Count}"
                    + (missing.Count > 0 ? $"; missing {missing[0]}" : "") + (extra.Count > 0 ? $"; not meant {extra[0]}" : "");
            }
        }
        return null;
    }

    /// <summary>[key, verdict] as "a . b/24 . tcp . 1-2 . 443 : jump c".</summary>
    private static string Element(JsonElement e)
    {
        var pair = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("elem", out var wrapped) ? wrapped.GetProperty("val") : e;
        return Value(pair[0]) + " : " + Verdict(pair[1]);
    }

    private static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetInt64().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Object when v.TryGetProperty("concat", out var c) => string.Join(" . ", c.EnumerateArray().Select(Value)),
        JsonValueKind.Object when v.TryGetProperty("prefix", out var p) =>
            $"{p.GetProperty("addr").GetString()}/{p.GetProperty("len").GetInt32()}",
        JsonValueKind.Object when v.TryGetProperty("range", out var r) => $"{Value(r[0])}-{Value(r[1])}",
        _ => v.GetRawText(),
    };

    private static string Verdict(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                return p.Value.TryGetProperty("target", out var t) ? $"{p.Name} {t.GetString()}" : p.Name;
            }
        }
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
    }
}
