using System.Globalization;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// A test-owned nftables table of named packet counters in one lab namespace: each rule is a match that
/// counts into the counter of its name. It is never the agent's table; the namespace goes with the lab.
/// </summary>
public sealed partial class NftCounters
{
    private readonly TestLab _lab;
    private readonly string _ns;
    private readonly string _table;

    private NftCounters(TestLab lab, string ns, string table) => (_lab, _ns, _table) = (lab, ns, table);

    /// <param name="hook">An inet hook and priority, e.g. <c>postrouting priority 300</c> (after every rule of the agent's).</param>
    public static async Task<NftCounters> InstallAsync(TestLab lab, string ns, string table, string hook, IReadOnlyDictionary<string, string> rules)
    {
        var counters = string.Concat(rules.Keys.Select(name => $"\tcounter {name} {{ }}\n"));
        var matches = string.Concat(rules.Select(r => $"\t\t{r.Value} counter name {r.Key}\n"));
        var script = $"table inet {table} {{\n{counters}\tchain count {{\n\t\ttype filter hook {hook}; policy accept;\n{matches}\t}}\n}}\n";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script);
            (await lab.ExecAsync(ns, "nft", "-f", file)).EnsureSuccess($"nft {table} in {ns}");
        }
        finally
        {
            File.Delete(file);
        }
        return new NftCounters(lab, ns, table);
    }

    public async Task<long> PacketsAsync(string counter)
    {
        var text = (await _lab.ExecAsync(_ns, "nft", "list", "counter", "inet", _table, counter)).EnsureSuccess("nft list counter").Stdout;
        return long.Parse(Packets().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every counter at once, so a test compares before and after.</summary>
    public async Task<Dictionary<string, long>> SnapshotAsync(IEnumerable<string> counters)
    {
        var result = new Dictionary<string, long>();
        foreach (var counter in counters)
        {
            result[counter] = await PacketsAsync(counter);
        }
        return result;
    }

    [GeneratedRegex(@"packets (\d+)")]
    private static partial Regex Packets();
}
