extern alias conformance;

using conformance::CamaraQos.Conformance;
using Xunit;

namespace CamaraQos.Controller.Tests.Conformance;

/// <summary>
/// CAMARA's own test definitions for every served version (specs/camara/tests, the profiles in
/// tests/CamaraQos.Conformance/profiles/sandbox), one test row per applicable scenario. A scenario the
/// sandbox cannot offer an asset for is no row (so neither passed nor skipped): the report lists it with
/// its reason, and <see cref="EveryScenarioIsBoundAndEitherRunOrNotApplicableWithAReason"/> checks the reasons.
/// </summary>
public sealed class ConformanceTests(SandboxConformance sandbox) : IClassFixture<SandboxConformance>
{
    private static readonly Lazy<IReadOnlyList<PlannedScenario>> Planned = new(() =>
        ConformanceRunner.Plan(SandboxConformance.Profile, SandboxConformance.Capabilities));

    public static IEnumerable<TheoryDataRow<string>> Applicable() =>
        Planned.Value.Where(p => p.NotApplicable is null).Select(p => new TheoryDataRow<string>(Key(p)) { TestDisplayName = $"CAMARA {p.Api.Api}: {p.Case.File} {p.Case.Id}" });

    private static string Key(PlannedScenario p) => $"{p.Api.Api}|{p.Case.File}|{p.Case.Id}";

    [Theory]
    [MemberData(nameof(Applicable))]
    public async Task TheSandboxPassesTheScenario(string key)
    {
        var planned = sandbox.Plan.Single(p => Key(p) == key);
        var result = await sandbox.RunAsync(planned);
        Assert.True(result.Outcome == Outcome.Passed, $"{planned.Case} ({planned.Case.Name}): {result.Outcome}: {result.Reason}");
    }

    [Fact]
    public void EveryScenarioIsBoundAndEitherRunOrNotApplicableWithAReason()
    {
        var plan = sandbox.Plan;
        Assert.NotEmpty(plan);
        // The rows were chosen (at discovery) with the capabilities the running fixture has.
        Assert.Equal(SandboxConformance.Capabilities, sandbox.Runner.Capabilities);
        Assert.All(plan, p => Assert.True(p.Unbound is null, $"{p.Case}: {p.Unbound}"));
        Assert.All(plan.Where(p => p.NotApplicable is not null), p => Assert.False(string.IsNullOrWhiteSpace(p.NotApplicable), p.Case.ToString()));
        // Every served version has a profile, and each names at least one feature file.
        Assert.Equal(8, SandboxConformance.Profile.Apis.Count);
    }

    [Fact]
    public async Task AProviderThatAnswersOtherwiseThanTheDefinitionFailsTheScenarioWithWhatItAnswered()
    {
        // A provider that accepts everything: tokens are issued, every API call is 201 {}.
        using var http = new HttpClient(new AcceptEverything()) { BaseAddress = new Uri("http://provider.invalid/") };
        var runner = new ConformanceRunner(SandboxConformance.Profile, http, new(http, SandboxConformance.Profile.Auth), null);
        var planned = runner.Plan().Single(p => p.Case.Id == "quality_on_demand_createSession_400.3_empty_request_body");

        var result = await runner.RunAsync(planned);

        Assert.Equal(Outcome.Failed, result.Outcome);
        Assert.Contains("status 201, expected 400", result.Reason, StringComparison.Ordinal);
    }

    private sealed class AcceptEverything : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(request.RequestUri!.AbsolutePath.EndsWith("/oauth2/token", StringComparison.Ordinal)
                ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.Created)
            {
                Content = new StringContent(request.RequestUri.AbsolutePath.EndsWith("/oauth2/token", StringComparison.Ordinal) ? """{"access_token":"t"}""" : "{}",
                    System.Text.Encoding.UTF8, "application/json"),
            });
    }
}
