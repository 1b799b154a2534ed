using Gherkin.Ast;

namespace CamaraQos.Conformance.Definitions;

/// <summary>One step of a scenario, outline placeholders already replaced by the example row's values.</summary>
public sealed record ScenarioStep(string Keyword, string Text, int Line);

/// <summary>
/// One runnable scenario: a plain scenario, or one example row of a scenario outline. <see cref="Id"/> is
/// the scenario's tag (CAMARA tags every scenario), with the row number for outlines.
/// </summary>
public sealed record ScenarioCase(string File, string Id, string Name, int Line, IReadOnlyList<ScenarioStep> Steps)
{
    public override string ToString() => $"{File} {Id}";
}

/// <summary>Reads CAMARA's <c>.feature</c> files with the Gherkin parser and expands outlines, one case per row.</summary>
public static class FeatureCatalog
{
    public static IReadOnlyList<ScenarioCase> Load(string testsDirectory, string relativeFile)
    {
        var document = new Gherkin.Parser().Parse(Path.Combine(testsDirectory, relativeFile));
        var feature = document.Feature ?? throw new InvalidOperationException($"{relativeFile} has no Feature.");
        var cases = new List<ScenarioCase>();
        IReadOnlyList<Step> background = [];
        foreach (var child in feature.Children.SelectMany(c => c is Rule rule ? rule.Children : [c]))
        {
            switch (child)
            {
                case Background b:
                    background = [.. b.Steps];
                    break;
                case Scenario s:
                    cases.AddRange(Expand(relativeFile, s, background));
                    break;
            }
        }
        return cases;
    }

    private static IEnumerable<ScenarioCase> Expand(string file, Scenario scenario, IReadOnlyList<Step> background)
    {
        var tag = scenario.Tags.FirstOrDefault()?.Name.TrimStart('@') ?? $"line{scenario.Location.Line}";
        var rows = scenario.Examples
            .SelectMany(e => e.TableBody.Select(r => (Header: e.TableHeader.Cells.Select(c => c.Value).ToList(), Row: r)))
            .ToList();
        if (rows.Count == 0)
        {
            yield return new ScenarioCase(file, tag, scenario.Name, scenario.Location.Line, Steps(background, scenario.Steps, null));
            yield break;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var values = rows[i].Header.Zip(rows[i].Row.Cells.Select(c => c.Value)).ToDictionary(p => p.First, p => p.Second);
            yield return new ScenarioCase(file, $"{tag}#{i + 1}", Substitute(scenario.Name, values), rows[i].Row.Location.Line,
                Steps(background, scenario.Steps, values));
        }
    }

    private static List<ScenarioStep> Steps(IEnumerable<Step> background, IEnumerable<Step> steps, Dictionary<string, string>? values) =>
        [.. background.Concat(steps).Select(s => new ScenarioStep(s.Keyword.Trim(), Substitute(s.Text, values), s.Location.Line))];

    private static string Substitute(string text, Dictionary<string, string>? values) =>
        values is null ? text : values.Aggregate(text, (t, v) => t.Replace($"<{v.Key}>", v.Value, StringComparison.Ordinal));
}
