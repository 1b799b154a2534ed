using System.Globalization;
using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using CamaraQos.Conformance.Http;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>The prose steps of connectivity-insights 0.6.0 and its subscriptions 0.6.0.</summary>
public static class InsightsSteps
{
    private const string Q = "\"([^\"]*)\"";
    private const string Prop = @"the request(?: body)? property\s+" + Q;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static IEnumerable<Binding> All() =>
    [
        // Checks: the application profile is created (connectivity-insights depends on application-profiles) when the request is sent.
        Sync("a valid application profile exists with ID in the system", (_, _) => { }, Dependency("applicationProfileId")),
        Sync("a valid network quality insight request body with inconsistent information compared to the token", (c, _) => c.SetBody(c.Value("inconsistentInsightRequest")), Value("inconsistentInsightRequest")),
        Sync("a valid network quality insight request body(?: with that application profile ID)?", (c, _) => c.SetBody(c.DefaultBody("checkNetworkQuality"))),
        Sync("the device identified in the request is connected to a network that (meets|cannot meet) the application requirements",
            (c, m) => c.Variants["applicationProfileId"] = m.Groups[1].Value == "meets" ? "met" : "unmet", Dependency("applicationProfileId")),
        Sync("at least one of the response properties contains " + Q, (c, m) => Expect.True(
            (ResponseSteps.Body(c) as JsonObject ?? []).Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains(m.Groups[1].Value, StringComparison.Ordinal)),
            $"no response property contains \"{m.Groups[1].Value}\": {c.Last!.ResponseText}")),
        Sync("the response contains additionalKPIs information", (c, _) => Expect.True(JsonPathLite.Exists(ResponseSteps.Body(c), "$.additionalKPIs"), "no additionalKPIs"), Value("additionalKpis")),
        Sync(Prop + " is set to an invalid UUID format", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "not-a-uuid")),
        Sync(Prop + " is set to a UUID that doesn't exist in the system", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, Guid.NewGuid().ToString())),
        Sync("the client has exceeded the rate limit", (_, _) => { }, Value("rateLimitedClient")),
        Sync("the client has exceeded their quota", (_, _) => { }, Value("quotaExceededClient")),

        // Subscriptions.
        Sync("that subscriptions are created (?:synchronously|asynchronously)", (_, _) => { }),
        Sync("a valid subscription request body with network quality event type", (c, _) => c.SetBody(c.DefaultBody("createSubscription"))),
        Sync(Prop + " is set to a valid callback URL", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "{sink}")),
        Sync(Prop + " is set to a valid application profile ID", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "{applicationProfileId}"), Dependency("applicationProfileId")),
        Sync(Prop + " contains the element " + Q, (c, m) =>
        {
            var array = JsonPathLite.Get(c.Body, m.Groups[1].Value) as JsonArray;
            if (array is null)
            {
                JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, new JsonArray(m.Groups[2].Value));
            }
            else if (!array.Any(e => (string?)e == m.Groups[2].Value))
            {
                array.Add(m.Groups[2].Value);
            }
        }),
        Sync(Prop + " contains an event type not supported by the API", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, new JsonArray("org.camaraproject.connectivity-insights-subscriptions.v0.not-a-type"))),
        Sync(Prop + " is not " + Q, (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value,
            c.Api.Values.TryGetValue("not:" + m.Groups[1].Value, out var v) ? v.DeepClone() : JsonValue.Create(m.Groups[2].Value + "_OTHER"))),
        Sync(Prop + " is set to a value in the near future", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, Rfc3339(DateTimeOffset.UtcNow.AddSeconds(3)))),
        Sync(Prop + " is set to a timestamp in the past", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, Rfc3339(DateTimeOffset.UtcNow.AddHours(-1)))),
        Sync(Prop + " refers to a device not supported by the service", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Device("notApplicable")), Device("notApplicable")),
        Sync("a client without subscriptions created", (_, _) => { }),
        Of("a client with subscriptions created", async (c, _) => await Sender.CreateAsync(c, "createSubscription")),
        Sync("(?:and )?when the network quality changes for the subscribed device", (_, _) => { }, Value("networkQualityChange")),
        Sync("(?:and )?when the subscription expires", (_, _) => { }),
        Of("event notification " + Q + " is (?:immediately )?received on callback-url", async (c, m) =>
        {
            var address = c.SinkAddress ?? throw new InvalidOperationException("No sink was given in this scenario.");
            var skip = c.EventMark;
            var suffix = "." + m.Groups[1].Value;
            c.Event = await c.Sink!.WaitAsync(address, e => c.Sink.At(address).ToList().IndexOf(e) >= skip
                    && ((string?)e.Body?["type"])?.EndsWith(suffix, StringComparison.Ordinal) == true, Bound)
                ?? throw new StepFailedException($"no {m.Groups[1].Value} event arrived at the sink within {Bound.TotalSeconds} s");
        }, EventSteps.NeedsSink),
        Sync("sink credentials are received as expected", (c, _) =>
        {
            var token = (string?)JsonPathLite.Get(c.Created?.RequestBody ?? c.Last?.RequestBody, "$.sinkCredential.accessToken");
            var got = c.Event!.Headers.GetValueOrDefault("Authorization");
            Expect.True(token is null || got == "Bearer " + token, $"event Authorization is {got ?? "(absent)"}, expected Bearer + the subscription's token");
        }, EventSteps.NeedsSink),
        Sync("type=" + Q, (c, m) => Expect.True((string?)c.Event?.Body?["type"] == m.Groups[1].Value,
            $"event type is {(string?)c.Event?.Body?["type"] ?? "(absent)"}, expected {m.Groups[1].Value}"), EventSteps.NeedsSink),
    ];

    private static Func<ApiProfile, Capabilities, System.Text.RegularExpressions.Match, string?> Dependency(string name) =>
        (api, _, _) => api.Dependencies.ContainsKey(name) ? null : Missing(api, "dependencies." + name);

    private static string Rfc3339(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
