using System.Text;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Enforcement;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// An nftables stand-in for tests without a kernel: it understands the buffers the applier sends (a whole table,
/// element adds and deletes) and answers <c>list table</c> in libnftables JSON as the kernel would, so the
/// read-back compares real parsed output. The real kernel is exercised in KernelEnforcementTests.
/// </summary>
internal sealed partial class FakeNftKernel : INftables
{
    private readonly SortedDictionary<string, List<string>> _maps = new(StringComparer.Ordinal);
    private readonly List<string> _chains = [];

    [GeneratedRegex(@"^(add|delete) element inet camaraqos (\w+) \{ (.*) \}$")]
    private static partial Regex ElementLine();

    [GeneratedRegex(@"^\t(chain|map) (\w+) \{$")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^get element inet camaraqos (\w+) \{ (.*) \}$")]
    private static partial Regex GetLine();

    /// <summary>An element added whose text contains this is accepted but not held: a kernel that lost it behind the agent's back.</summary>
    public string? LoseAddsContaining { get; set; }

    public Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
    {
        if (commands.StartsWith("list table", StringComparison.Ordinal))
        {
            return Task.FromResult(_chains.Count == 0 ? new NftResult(1, "", "No such file or directory") : new NftResult(0, List(), ""));
        }
        if (GetLine().Match(commands.TrimEnd('\n')) is { Success: true } get)
        {
            return Task.FromResult(Get(get.Groups[1].Value, get.Groups[2].Value.Split(", ")));
        }
        if (commands.StartsWith("add table inet camaraqos\ndelete table inet camaraqos\n", StringComparison.Ordinal))
        {
            Table(commands);
            return Task.FromResult(new NftResult(0, "", ""));
        }
        foreach (var line in commands.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split(' ');
            if (words[1] == "chain" && words[0] == "delete")
            {
                _chains.Remove(words[4]);
            }
            else if (words[1] == "chain")
            {
                _chains.Add(words[4]);
            }
            if (words[1] is "chain" or "rule")
            {
                continue;   // a class chain's rules are the planner's, golden-tested
            }
            var m = ElementLine().Match(line);
            var elements = _maps[m.Groups[2].Value];
            foreach (var item in m.Groups[3].Value.Split(", "))
            {
                if (m.Groups[1].Value == "add" && LoseAddsContaining is { } lost && item.Contains(lost, StringComparison.Ordinal))
                {
                    continue;
                }
                if (m.Groups[1].Value == "add")
                {
                    elements.Add(item);
                }
                else
                {
                    elements.RemoveAll(e => e.StartsWith(item + " : ", StringComparison.Ordinal));
                }
            }
        }
        return Task.FromResult(new NftResult(0, "", ""));
    }

    /// <summary>As libnftables 1.0.6 answers <c>get element</c>: nft syntax (even in JSON mode), an error if a key is not held.</summary>
    private NftResult Get(string map, string[] keys)
    {
        var held = keys.Select(k => _maps.GetValueOrDefault(map)?.FirstOrDefault(e => e.StartsWith(k + " : ", StringComparison.Ordinal))).ToList();
        return held.Any(e => e is null)
            ? new NftResult(1, "", "Error: Could not process rule: No such file or directory\n")
            : new NftResult(0, $"table inet camaraqos {{\n\tmap {map} {{\n\t\telements = {{ {string.Join(",\n\t\t\t     ", held)} }}\n\t}}\n}}\n", "");
    }

    /// <summary>The whole table replaced: the declarations of the script, with their inline elements.</summary>
    private void Table(string script)
    {
        _maps.Clear();
        _chains.Clear();
        string? map = null;
        foreach (var line in script.Split('\n'))
        {
            if (Declaration().Match(line) is { Success: true } d)
            {
                map = d.Groups[1].Value == "map" ? d.Groups[2].Value : null;
                if (map is null)
                {
                    _chains.Add(d.Groups[2].Value);
                }
                else
                {
                    _maps[map] = [];
                }
            }
            else if (map is not null && line.StartsWith("\t\t\t", StringComparison.Ordinal))
            {
                _maps[map].Add(line.Trim().TrimEnd(','));
            }
        }
    }

    private string List()
    {
        var sb = new StringBuilder("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}");
        foreach (var c in _chains)
        {
            sb.Append($", {{\"chain\": {{\"family\": \"inet\", \"table\": \"camaraqos\", \"name\": \"{c}\", \"handle\": 1}}}}");
        }
        foreach (var (name, elements) in _maps)
        {
            sb.Append($", {{\"map\": {{\"name\": \"{name}\", \"handle\": 2, \"elem\": [");
            sb.AppendJoin(", ", elements.Select(Element)).Append("]}}");
        }
        return sb.Append("]}").ToString();
    }

    /// <summary>"k1 . k2 : jump c" as the kernel lists it: [{"concat": [...]}, {"jump": {"target": "c"}}].</summary>
    private static string Element(string text)
    {
        var (key, verdict) = (text[..text.IndexOf(" : ", StringComparison.Ordinal)], text[(text.IndexOf(" : ", StringComparison.Ordinal) + 3)..]);
        var fields = key.Split(" . ").Select(f => f.Contains('/', StringComparison.Ordinal)
            ? $"{{\"prefix\": {{\"addr\": \"{f[..f.IndexOf('/', StringComparison.Ordinal)]}\", \"len\": {f[(f.IndexOf('/', StringComparison.Ordinal) + 1)..]}}}}}"
            : f.Contains('-', StringComparison.Ordinal) ? $"{{\"range\": [{f.Replace("-", ", ", StringComparison.Ordinal)}]}}"
            : f.All(char.IsAsciiDigit) ? f : $"\"{f}\"");
        var target = verdict.Split(' ');
        return $"[{{\"concat\": [{string.Join(", ", fields)}]}}, {{\"{target[0]}\": {{\"target\": \"{target[1]}\"}}}}]";
    }
}
