using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;

namespace CamaraQos.Conformance.Steps;

/// <summary>The checks the Then steps make; a failure says what the provider answered.</summary>
public static class Expect
{
    public static void True(bool condition, string message)
    {
        if (!condition)
        {
            throw new StepFailedException(message);
        }
    }

    public static void Status(ScenarioContext c, int expected)
    {
        var e = c.Last ?? throw new InvalidOperationException("No request was sent.");
        expected = int.Parse(Notes.Apply(c, "status", [expected.ToString(System.Globalization.CultureInfo.InvariantCulture)])[0], System.Globalization.CultureInfo.InvariantCulture);
        True(e.Status == expected, $"{e.Method} {e.Path}: status {e.Status}, expected {expected}; body {Cut(e.ResponseText)}");
    }

    public static void Header(ScenarioContext c, string name, string expected)
    {
        if (Notes.Apply(c, "header " + name, [expected]) is [Notes.Waived])
        {
            return;
        }
        var got = c.Last!.ResponseHeaders.GetValueOrDefault(name);
        // Content-Type "application/json" is met by "application/json; charset=utf-8".
        True(got is not null && (got == expected || got.Split(';')[0].Trim().Equals(expected, StringComparison.OrdinalIgnoreCase)),
            $"response header {name} is {got ?? "(absent)"}, expected {expected}");
    }

    public static void SameHeader(ScenarioContext c, string response, string request)
    {
        var sent = c.Last!.RequestHeaders.GetValueOrDefault(request);
        var got = c.Last.ResponseHeaders.GetValueOrDefault(response);
        True(sent is null ? got is null : got == sent, $"response header {response} is {got ?? "(absent)"}, request had {sent ?? "(absent)"}");
    }

    /// <summary>A string property equal to one of <paramref name="expected"/> (after NOTES.md rules, see <see cref="Notes"/>).</summary>
    public static void Code(ScenarioContext c, string path, params string[] expected)
    {
        expected = Notes.Apply(c, path, expected);
        // Subscriptions 09-11 check "the response property $.data.terminationReason" after an event
        // arrived: the response (204) has no body, the event has that property.
        var source = c.Event is not null && path.StartsWith("$.data.", StringComparison.Ordinal) && !JsonPathLite.Exists(ResponseSteps.Body(c), path)
            ? c.Event.Body : ResponseSteps.Body(c);
        var got = JsonPathLite.Get(source, path);
        True(got is JsonValue v && v.TryGetValue<string>(out var s) && expected.Contains(s),
            $"{path} is {got?.ToJsonString() ?? "(absent)"}, expected {string.Join(" or ", expected)}; body {Cut(c.Last!.ResponseText)}");
    }

    public static void Number(ScenarioContext c, JsonNode? body, string path, long expected)
    {
        if (path == "$.status")
        {
            expected = long.Parse(Notes.Apply(c, "status", [expected.ToString(System.Globalization.CultureInfo.InvariantCulture)])[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        var got = JsonPathLite.Get(body, path);
        True(got is JsonValue v && v.TryGetValue<long>(out var n) && n == expected, $"{path} is {got?.ToJsonString() ?? "(absent)"}, expected {expected}");
    }

    public static void Text(JsonNode? body, string path)
    {
        var got = JsonPathLite.Get(body, path);
        True(got is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0, $"{path} is not a non-empty text: {got?.ToJsonString() ?? "(absent)"}");
    }

    public static void Schema(ScenarioContext c, JsonNode? value, string pointer)
    {
        if (Notes.Apply(c, "schema " + pointer, ["data.qosStatus required"]) is ["data.status required"] && value?["data"] is JsonObject data && data["status"] is { } status)
        {
            // The published schema requires data.qosStatus while its properties name it status (NOTES.md row 6).
            value = value.DeepClone();
            value["data"]!["qosStatus"] = status.DeepClone();
        }
        if (Notes.Apply(c, "schema " + pointer, ["id required"]) is ["subscriptionId required"] && value is JsonObject o && o["subscriptionId"] is { } sid && !o.ContainsKey("id"))
        {
            // Subscriptions 0.6.0 requires "id" while its property is subscriptionId (NOTES.md row 9).
            value = value.DeepClone();
            value["id"] = sid.DeepClone();
        }
        if (c.Sink is not null && value is not null && HttpSinksAsHttps(c, value = value.DeepClone()))
        {
            const string said = "NOTES.md, Sinks: the runner's own http sink (a lab flag of the deployment) is judged as its https form against the spec's https pattern";
            if (!c.NotesApplied.Contains(said))
            {
                c.NotesApplied.Add(said);
            }
        }
        var errors = c.Spec.Validate(value, pointer);
        True(errors.Count == 0, $"not compliant with {pointer}: {string.Join("; ", errors.Take(5))}; value {Cut(value?.ToJsonString() ?? "null")}");
    }

    /// <summary>Rewrites, in place, strings that are this runner's http sink addresses to https; true when any was.</summary>
    private static bool HttpSinksAsHttps(ScenarioContext c, JsonNode node)
    {
        var changed = false;
        foreach (var (key, child) in node is JsonObject o ? o.ToList() : [])
        {
            if (child is JsonValue v && v.TryGetValue<string>(out var s) && c.Sink!.Owns(s) && s.StartsWith("http://", StringComparison.Ordinal))
            {
                node[key] = "https://" + s["http://".Length..];
                changed = true;
            }
            else if (child is not null)
            {
                changed |= HttpSinksAsHttps(c, child);
            }
        }
        foreach (var item in node is JsonArray a ? a.ToList() : [])
        {
            if (item is not null)
            {
                changed |= HttpSinksAsHttps(c, item);
            }
        }
        return changed;
    }

    public static void Items(ScenarioContext c, string pointer, int min, int max = int.MaxValue)
    {
        if (Notes.Apply(c, "response shape", ["array"]) is ["object"])
        {
            Schema(c, ResponseSteps.Body(c), pointer);
            return;
        }
        var array = ResponseSteps.Body(c) as JsonArray ?? throw new StepFailedException($"the response is not an array: {Cut(c.Last!.ResponseText)}");
        True(array.Count >= min && array.Count <= max, $"the response has {array.Count} items, expected {min}..{max}");
        foreach (var item in array)
        {
            Schema(c, item, pointer);
        }
    }

    public static void Equal(JsonNode? got, JsonNode? expected, string what) =>
        True(JsonNode.DeepEquals(got, expected), $"{what} is {got?.ToJsonString() ?? "(absent)"}, expected {expected?.ToJsonString() ?? "(absent)"}");

    public static string Cut(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
