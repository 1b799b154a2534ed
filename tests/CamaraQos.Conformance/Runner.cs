using CamaraQos.Conformance.Definitions;
using CamaraQos.Conformance.Http;
using CamaraQos.Conformance.Steps;

namespace CamaraQos.Conformance;

public enum Outcome { Passed, Failed, NotApplicable }

/// <summary>One scenario's result: the NOTES.md rows applied, or why it failed or does not apply.</summary>
public sealed record ScenarioResult(ApiProfile Api, ScenarioCase Case, Outcome Outcome, string? Reason, IReadOnlyList<string> Notes);

/// <summary>A scenario with the profile it runs under, and, decided before anything is sent, whether it applies.</summary>
public sealed record PlannedScenario(ApiProfile Api, ScenarioCase Case, string? NotApplicable, string? Unbound)
{
    public override string ToString() => Case.ToString();
}

/// <summary>
/// Runs CAMARA's test definitions against one deployment: binds every step to the step library, decides
/// applicability from the profile, runs each scenario's steps in order, and removes what it created.
/// </summary>
public sealed class ConformanceRunner(DeploymentProfile profile, HttpClient http, TokenSource tokens, EventSink? sink)
{
    public static readonly IReadOnlyList<Binding> Library =
        [.. SetupSteps.All(), .. ApiSteps.All(), .. InsightsSteps.All(), .. EventSteps.All(), .. RequestSteps.All(), .. ResponseSteps.All()];

    public Capabilities Capabilities { get; } = new(tokens.CanIssueExpired, tokens.CanIssueThreeLegged, tokens.HasOtherClient, sink is not null);

    public DeploymentProfile Profile => profile;

    /// <summary>Every scenario of every feature file the profile names, in file order.</summary>
    public IReadOnlyList<PlannedScenario> Plan() => Plan(profile, Capabilities);

    /// <summary>The plan without a provider: which scenarios apply is decided by the profile and the runner's capabilities alone.</summary>
    public static IReadOnlyList<PlannedScenario> Plan(DeploymentProfile profile, Capabilities capabilities) =>
        [.. profile.Apis.SelectMany(api => api.Features.SelectMany(f =>
            FeatureCatalog.Load(Repository.Tests, f).Select(c => Classify(api, c, capabilities))))];

    public static PlannedScenario Classify(ApiProfile api, ScenarioCase scenario, Capabilities capabilities)
    {
        string? unbound = null;
        string? notApplicable = api.NotApplicable.GetValueOrDefault(scenario.Id) ?? api.NotApplicable.GetValueOrDefault(scenario.Id.Split('#')[0]);
        foreach (var step in scenario.Steps)
        {
            var (binding, match) = Bind(step.Text);
            if (binding is null)
            {
                unbound ??= $"line {step.Line}: no step binding for \"{step.Text}\"";
                continue;
            }
            notApplicable ??= binding.Needs?.Invoke(api, capabilities, match!);
        }
        return new PlannedScenario(api, scenario, notApplicable, unbound);
    }

    public static (Binding? Binding, System.Text.RegularExpressions.Match? Match) Bind(string text)
    {
        foreach (var binding in Library)
        {
            var m = binding.Pattern.Match(text.Trim());
            if (m.Success)
            {
                return (binding, m);
            }
        }
        return (null, null);
    }

    public async Task<ScenarioResult> RunAsync(PlannedScenario planned)
    {
        if (planned.NotApplicable is { } reason)
        {
            return new(planned.Api, planned.Case, Outcome.NotApplicable, reason, []);
        }
        if (planned.Unbound is { } unbound)
        {
            return new(planned.Api, planned.Case, Outcome.Failed, unbound, []);
        }
        var spec = OpenApiDocument.Load(System.IO.Path.Combine(Repository.Specs, planned.Api.Spec));
        var context = new ScenarioContext(profile, planned.Api, spec, http, tokens, sink) { ScenarioId = planned.Case.Id };
        ScenarioStep? current = null;
        try
        {
            foreach (var step in planned.Case.Steps)
            {
                current = step;
                var (binding, match) = Bind(step.Text);
                await binding!.Run(context, match!);
            }
            return new(planned.Api, planned.Case, Outcome.Passed, null, context.NotesApplied);
        }
        catch (Exception ex) when (ex is StepFailedException or InvalidOperationException or NotApplicableException or HttpRequestException or System.Text.Json.JsonException)
        {
            var kind = ex is StepFailedException ? "" : ex.GetType().Name + ": ";
            return new(planned.Api, planned.Case, Outcome.Failed, $"line {current?.Line} \"{current?.Text}\": {kind}{ex.Message}", context.NotesApplied);
        }
        finally
        {
            foreach (var reset in planned.Api.AfterEach)
            {
                await Sender.SendRawAsync(context, reset.Method, Sender.Url(context, reset.Resource), reset.Body?.ToJsonString(),
                    reset.ThreeLegged is { } role ? new TokenKind.ThreeLegged(role) : new TokenKind.TwoLegged(), new Dictionary<string, string?>());
            }
            foreach (var path in context.CleanupPaths.AsEnumerable().Reverse())
            {
                await Sender.SendRawAsync(context, "DELETE", Sender.Url(context, path), null, new TokenKind.TwoLegged(), new Dictionary<string, string?>());
            }
        }
    }
}

/// <summary>specs/camara in the repository this runner was built from (found by walking up).</summary>
public static class Repository
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "specs", "camara", "NOTES.md")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("No specs/camara/NOTES.md above the current or the program's directory; run from a clone of the repository.");
    });

    public static string Path(string relative) => System.IO.Path.Combine(Root.Value, relative);

    public static string Specs => System.IO.Path.Combine(Root.Value, "specs", "camara");
    public static string Tests => System.IO.Path.Combine(Specs, "tests");

    /// <summary>The checked-in profile of the sandbox (tests/CamaraQos.Conformance/profiles/sandbox).</summary>
    public static string SandboxProfile => Path("tests/CamaraQos.Conformance/profiles/sandbox");
}
