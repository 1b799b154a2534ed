using CamaraQos.Conformance;
using CamaraQos.Conformance.Http;

// dotnet run --project tests/CamaraQos.Conformance -- --base-url URL --profile DIR|FILE [--report FILE]
// Runs CAMARA's test definitions against any provider; exit code 1 when a scenario failed.
string? baseUrl = null, profilePath = null, reportPath = null;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--base-url": baseUrl = args[++i]; break;
        case "--profile": profilePath = args[++i]; break;
        case "--report": reportPath = args[++i]; break;
    }
}
if (baseUrl is null || profilePath is null)
{
    Console.Error.WriteLine("usage: --base-url URL --profile DIR|FILE [--report FILE]  (profiles: tests/CamaraQos.Conformance/profiles/)");
    return 2;
}
var profile = DeploymentProfile.Load(profilePath);
using var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
await using var sink = profile.Sink is { } s ? new EventSink(s) : null;
var runner = new ConformanceRunner(profile, http, new TokenSource(http, profile.Auth), sink);
var results = new List<ScenarioResult>();
foreach (var planned in runner.Plan())
{
    var result = await runner.RunAsync(planned);
    results.Add(result);
    Console.Error.WriteLine($"{result.Outcome,-13} {planned.Case}{(result.Reason is null ? "" : "  " + result.Reason)}");
}
var report = Report.Markdown(profile.Name, baseUrl, results);
Console.WriteLine(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report);
}
return results.Any(r => r.Outcome == Outcome.Failed) ? 1 : 0;
