using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CamaraQos.Conformance.Definitions;

namespace CamaraQos.Conformance.Steps;

/// <summary>
/// The property rules of the success scenarios ("exists only if provided in the request body and with the
/// same value", "exists only if "$.qosStatus" is "AVAILABLE" and value is in the past", ...). "Only if" is
/// read as written: when the property exists the condition holds.
/// </summary>
public static partial class Rules
{
    [GeneratedRegex(@"^exists only if ""([^""]+)"" is (not )?""([^""]+)""(?: and (?:the )?(?:value is )?(in the past|later than ""([^""]+)""))?$")]
    private static partial Regex Conditional();

    public static void Check(ScenarioContext c, JsonNode? body, string path, string rule)
    {
        rule = rule.Trim().TrimEnd('.');
        var exists = JsonPathLite.Exists(body, path);
        var value = JsonPathLite.Get(body, path);
        switch (rule)
        {
            case "exists only if provided in the request body and with the same value":
                SameAsProvided(path, value, exists, c.Last!.RequestBody);
                return;
            case var r when r.StartsWith("exists only if provided for ", StringComparison.Ordinal):
                SameAsProvided(path, value, exists, CreatedRequest(c));
                return;
            case "same value as in the request body" or "has the same value as in the request body":
                var request = JsonPathLite.Exists(c.Last!.RequestBody, path) ? c.Last.RequestBody : CreatedRequest(c);
                Expect.Equal(value, JsonPathLite.Get(request, path), path);
                return;
            case var r when r.StartsWith("has the value provided for ", StringComparison.Ordinal):
                Expect.Equal(value, JsonPathLite.Get(CreatedRequest(c), path), path);
                return;
            case "exists and the value is in the past":
                Expect.True(exists, $"{path} does not exist");
                InThePast(path, value);
                return;
        }
        var m = Conditional().Match(rule);
        if (!m.Success)
        {
            throw new InvalidOperationException($"No rule \"{rule}\".");
        }
        if (!exists)
        {
            return;
        }
        var other = (string?)JsonPathLite.Get(body, m.Groups[1].Value);
        var holds = (other == m.Groups[3].Value) != m.Groups[2].Success;
        Expect.True(holds, $"{path} exists while {m.Groups[1].Value} is {other ?? "(absent)"} (rule: {rule})");
        if (m.Groups[4].Value == "in the past")
        {
            InThePast(path, value);
        }
        else if (m.Groups[5].Success)
        {
            var later = Time(JsonPathLite.Get(body, m.Groups[5].Value));
            Expect.True(later is null || Time(value) > later, $"{path} is not later than {m.Groups[5].Value}");
        }
    }

    private static JsonNode? CreatedRequest(ScenarioContext c) =>
        (c.Created ?? throw new InvalidOperationException("No resource was created in this scenario.")).RequestBody;

    private static void SameAsProvided(string path, JsonNode? value, bool exists, JsonNode? request)
    {
        var provided = JsonPathLite.Exists(request, path);
        Expect.True(exists == provided || !exists, $"{path} exists but was not provided");
        if (exists)
        {
            Expect.Equal(value, JsonPathLite.Get(request, path), path);
        }
    }

    private static void InThePast(string path, JsonNode? value)
    {
        var t = Time(value);
        // A second of slack for clocks of client and provider that differ slightly.
        Expect.True(t is not null && t <= DateTimeOffset.UtcNow.AddSeconds(1), $"{path} is not a time in the past: {value?.ToJsonString()}");
    }

    public static DateTimeOffset? Time(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : value is JsonValue n && n.TryGetValue<long>(out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
}
