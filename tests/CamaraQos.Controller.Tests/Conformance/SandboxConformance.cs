extern alias conformance;

using CamaraQos.Controller.Auth;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Tests.QualityOnDemand;
using conformance::CamaraQos.Conformance;
using conformance::CamaraQos.Conformance.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Conformance;

/// <summary>
/// The controller in sandbox mode (<see cref="QodHost"/>: sandbox fleet, real tokens, http/loopback sinks
/// allowed) with the conformance runner pointed at it through the checked-in sandbox profile. Results are
/// collected as the scenarios run; the report (per file: passed, failed, not applicable with reasons) is
/// written when the class is done, to <c>CAMARAQOS_CONFORMANCE_REPORT</c> (tests/run.sh sets it and prints
/// it) or beside the test binaries.
/// </summary>
public sealed class SandboxConformance : IAsyncLifetime
{
    public const string ReportVariable = "CAMARAQOS_CONFORMANCE_REPORT";

    // The sandbox's own telemetry on (QodHost turns it off for tests that publish their own): the
    // connectivity-insights scenarios judge the sandbox devices' measured quality.
    private readonly QodHost _host = new(settings: new Dictionary<string, string?> { ["Sandbox:TelemetryIntervalSeconds"] = "1" });
    private readonly List<ScenarioResult> _results = [];
    private EventSink? _sink;
    private HttpClient? _http;

    public static DeploymentProfile Profile { get; } = DeploymentProfile.Load(Repository.SandboxProfile);

    /// <summary>What this host offers beyond the profile: expired tokens minted with the controller's key, and the runner's sink.</summary>
    public static conformance::CamaraQos.Conformance.Steps.Capabilities Capabilities { get; } =
        new(ExpiredToken: true, ThreeLegged: Profile.Auth.CibaUrl is not null, OtherClient: Profile.Auth.OtherClient is not null, Sink: Profile.Sink is not null);

    public ConformanceRunner Runner { get; private set; } = null!;

    /// <summary>Every scenario with its applicability, read once for the class.</summary>
    public IReadOnlyList<PlannedScenario> Plan => _plan ??= Runner.Plan();

    private IReadOnlyList<PlannedScenario>? _plan;

    public async ValueTask InitializeAsync()
    {
        await _host.FleetOnlineAsync(SimulatedFleet.Gateway1, SimulatedFleet.Gateway2, SimulatedFleet.GatewayOffline);
        _http = _host.CreateClient();
        _sink = Profile.Sink is { } s ? new EventSink(s) : null;
        var tokens = new TokenSource(_http, Profile.Auth) { MintExpired = () => Task.FromResult(Expired()) };
        Runner = new ConformanceRunner(Profile, _http, tokens, _sink);
    }

    /// <summary>
    /// A token signed with the controller's own current key for the sandbox client, issued two token
    /// lifetimes ago, so it is expired (and not merely invalid) when the controller validates it.
    /// </summary>
    private string Expired()
    {
        var options = _host.Services.GetRequiredService<IOptions<AuthOptions>>();
        var then = DateTimeOffset.UtcNow.AddSeconds(-2 * options.Value.TokenLifetimeSeconds - 600);
        var issuer = new TokenIssuer(options, _host.Services.GetRequiredService<SigningKeyRing>(), new FakeTimeProvider(then));
        return issuer.Issue(ClientRegistry.SandboxClientId, null, Scopes.Camara).AccessToken;
    }

    public async Task<ScenarioResult> RunAsync(PlannedScenario planned)
    {
        var result = await Runner.RunAsync(planned);
        lock (_results)
        {
            _results.Add(result);
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (Runner is null)
        {
            await _host.DisposeAsync();
            return;
        }
        // Not-applicable scenarios are no test rows; they are listed (and counted) in the report only.
        var all = _results.Concat(Plan.Where(p => p.NotApplicable is not null).Select(p => new ScenarioResult(p.Api, p.Case, Outcome.NotApplicable, p.NotApplicable, [])))
            .OrderBy(r => Profile.Apis.IndexOf(r.Api)).ThenBy(r => r.Case.File, StringComparer.Ordinal).ThenBy(r => r.Case.Line).ToList();
        var path = Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } p ? p : Path.Combine(AppContext.BaseDirectory, "conformance-report.md");
        await File.WriteAllTextAsync(path, Report.Markdown(Profile.Name, "the controller in-process (sandbox)", all));
        _http?.Dispose();
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
        await _host.DisposeAsync();
    }
}
