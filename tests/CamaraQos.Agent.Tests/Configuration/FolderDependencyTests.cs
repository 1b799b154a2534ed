using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;
using Xunit;

namespace CamaraQos.Agent.Tests.Configuration;

/// <summary>
/// The agent's feature folders depend on each other in one direction only; the composition (which composes
/// them all) sits at the root, outside every folder (docs/ARCHITECTURE.md §6).
/// </summary>
public partial class FolderDependencyTests
{
    [GeneratedRegex(@"\bCamaraQos\.Agent\.(\w+)|(?<![\w.])(\w+)\.[A-Z]\w*")]
    private static partial Regex Reference();

    [Fact]
    public void NoAgentFolderDependsOnAnotherInACycle()
    {
        var agent = Path.GetDirectoryName(Command.RepoPath("agent/CamaraQos.Agent.csproj"))!;
        var folders = Directory.GetDirectories(agent).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        var edges = folders.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(agent, f), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Reference().Matches(File.ReadAllText(file)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Where(other => other != f && folders.Contains(other)).ToHashSet(StringComparer.Ordinal));

        var cycles = edges.SelectMany(e => e.Value.Where(other => Reaches(edges, other, e.Key, [])).Select(other => $"{e.Key} -> {other}"));

        Assert.Empty(cycles);
        Assert.Contains("Configuration", edges["Control"]);   // the scan sees references at all
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> edges, string from, string to, HashSet<string> seen) =>
        from == to || (seen.Add(from) && edges[from].Any(next => Reaches(edges, next, to, seen)));
}
