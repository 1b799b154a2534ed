using System.Text.RegularExpressions;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The read-back of an incremental transaction, proportional to it: <c>get element</c> for the keys it added
/// (one call per map; the kernel answers each key's element in nft syntax, which is the planner's syntax, so
/// key and verdict compare as text) and, for keys it deleted and did not re-add, that the kernel no longer
/// finds them. libnftables 1.0.6 answers <c>get element</c> in nft syntax even when asked for JSON.
/// </summary>
internal static partial class NftElementCheck
{
    /// <summary>More changed elements than this and a full listing is cheaper than one call per deleted key.</summary>
    public const int MaxElements = 64;

    [GeneratedRegex(@"elements = \{(?<e>[^}]*)\}")]
    private static partial Regex ElementsBlock();

    public static async Task<string?> DifferenceAsync(IReadOnlyList<NftMapDelta> deltas,
        Func<string, CancellationToken, Task<NftResult>> get, CancellationToken ct)
    {
        var t = NftRenderer.Table;
        foreach (var d in deltas)
        {
            if (d.Come.Count > 0)
            {
                var r = await get($"get element inet {t} {d.Map} {{ {string.Join(", ", d.Come.Select(e => e.Key))} }}", ct);
                if (!r.Ok)
                {
                    return $"read-back: map {d.Map} lacks an element just added ({d.Come.Count} added): {r.Error.Trim().Split('\n')[0]}";
                }
                var held = Elements(r.Output);
                if (d.Come.FirstOrDefault(e => !held.Contains(e.ToString())) is { Key: not null } wrong)
                {
                    return $"read-back: map {d.Map} does not hold {wrong} as added";
                }
            }
            var readded = d.Come.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in d.Gone.Where(k => !readded.Contains(k)))
            {
                if ((await get($"get element inet {t} {d.Map} {{ {key} }}", ct)).Ok)
                {
                    return $"read-back: map {d.Map} still holds {key} after deleting it";
                }
            }
        }
        return null;
    }

    /// <summary>The elements of a <c>get element</c> answer, "key : verdict" each.</summary>
    internal static HashSet<string> Elements(string output) =>
        ElementsBlock().Matches(output)
            .SelectMany(m => m.Groups["e"].Value.Split(','))
            .Select(e => string.Join(' ', e.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)))
            .Where(e => e.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
}
