using System.Text.RegularExpressions;

namespace CamaraQos.Conformance.Steps;

/// <summary>What the runner can offer beyond the profile: tokens it can mint, a sink it listens on.</summary>
public sealed record Capabilities(bool ExpiredToken, bool ThreeLegged, bool OtherClient, bool Sink);

/// <summary>
/// One step pattern of CAMARA's test definitions and what it does. <see cref="Needs"/> says, before
/// anything is sent, why a deployment cannot run it (an asset its profile does not offer), or null.
/// </summary>
public sealed record Binding(Regex Pattern, Func<ScenarioContext, Match, Task> Run, Func<ApiProfile, Capabilities, Match, string?>? Needs = null)
{
    public static Binding Of(string pattern, Func<ScenarioContext, Match, Task> run, Func<ApiProfile, Capabilities, Match, string?>? needs = null) =>
        new(new Regex("^" + pattern + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), run, needs);

    public static Binding Sync(string pattern, Action<ScenarioContext, Match> run, Func<ApiProfile, Capabilities, Match, string?>? needs = null) =>
        Of(pattern, (c, m) => { run(c, m); return Task.CompletedTask; }, needs);

    public static Func<ApiProfile, Capabilities, Match, string?> Device(string role) =>
        (api, _, _) => api.Devices.ContainsKey(role) ? null : Missing(api, "devices." + role);

    public static Func<ApiProfile, Capabilities, Match, string?> Value(string key) =>
        (api, _, _) => api.Values.ContainsKey(key) ? null : Missing(api, "values." + key);

    public static string Missing(ApiProfile api, string asset) =>
        api.Unavailable.TryGetValue(asset, out var why) ? $"{asset}: {why}" : $"the profile offers no {asset}";

    public static Func<ApiProfile, Capabilities, Match, string?> All(params Func<ApiProfile, Capabilities, Match, string?>[] needs) =>
        (a, c, m) => needs.Select(n => n(a, c, m)).FirstOrDefault(r => r is not null);
}
