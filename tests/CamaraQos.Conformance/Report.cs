using System.Text;

namespace CamaraQos.Conformance;

/// <summary>The report: per feature file the scenarios passed, failed and not applicable, then every failure and every reason.</summary>
public static class Report
{
    public static string Markdown(string deployment, string baseUrl, IReadOnlyList<ScenarioResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine($"# CAMARA conformance: {deployment} at {baseUrl}").AppendLine();
        s.AppendLine("| API | feature file | passed | failed | not applicable |").AppendLine("|---|---|---|---|---|");
        foreach (var file in results.GroupBy(r => (r.Api.Api, r.Case.File)))
        {
            s.AppendLine($"| {file.Key.Api} | {file.Key.File} | {Count(file, Outcome.Passed)} | {Count(file, Outcome.Failed)} | {Count(file, Outcome.NotApplicable)} |");
        }
        s.AppendLine($"| **total** | | **{Count(results, Outcome.Passed)}** | **{Count(results, Outcome.Failed)}** | **{Count(results, Outcome.NotApplicable)}** |").AppendLine();
        Section(s, "Failed", results.Where(r => r.Outcome == Outcome.Failed));
        s.AppendLine($"## Passed ({Count(results, Outcome.Passed)})").AppendLine();
        foreach (var file in results.Where(r => r.Outcome == Outcome.Passed).GroupBy(r => r.Case.File))
        {
            s.AppendLine($"- {file.Key}: {string.Join(", ", file.Select(r => $"`{r.Case.Id}`"))}");
        }
        s.AppendLine();
        Section(s, "Not applicable", results.Where(r => r.Outcome == Outcome.NotApplicable));
        var notes = results.SelectMany(r => r.Notes.Select(n => (r, n))).ToList();
        if (notes.Count > 0)
        {
            s.AppendLine("## NOTES.md rules applied (definition contradicts its spec)").AppendLine();
            foreach (var (r, n) in notes)
            {
                s.AppendLine($"- {r.Case.File} `{r.Case.Id}`: {n}");
            }
            s.AppendLine();
        }
        return s.ToString();
    }

    private static void Section(StringBuilder s, string title, IEnumerable<ScenarioResult> rows)
    {
        var list = rows.ToList();
        s.AppendLine($"## {title} ({list.Count})").AppendLine();
        foreach (var r in list)
        {
            s.AppendLine($"- {r.Case.File} `{r.Case.Id}` ({r.Case.Name}): {r.Reason}");
        }
        s.AppendLine();
    }

    private static int Count(IEnumerable<ScenarioResult> results, Outcome outcome) => results.Count(r => r.Outcome == outcome);
}
