using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using CamaraQos.Conformance.Http;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>Steps about the events a provider posts to the scenario's sink.</summary>
public static class EventSteps
{
    private const string Q = "\"([^\"]*)\"";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static readonly Func<ApiProfile, Capabilities, System.Text.RegularExpressions.Match, string?> NeedsSink =
        (api, cap, _) => cap.Sink ? null : Missing(api, "sink");

    public static IEnumerable<Binding> All() =>
    [
        Of("(?:the QoS status of the session becomes known|the QoS assignment outcome is known|an event is received at the address of the (?:request property )?" + Q + ".*)",
            async (c, _) => await WaitAsync(c), NeedsSink),
        Sync("the event header \"Authorization\" is set to \"(Bearer:? )\" \\+ the value of .*", (c, m) =>
        {
            var token = (string?)JsonPathLite.Get(SinkRequest(c), "$.sinkCredential.accessToken");
            var prefix = Notes.Apply(c, "event Authorization prefix", [m.Groups[1].Value])[0];
            Expect.True(Event(c).Headers.GetValueOrDefault("Authorization") == prefix + token,
                $"event Authorization is {Event(c).Headers.GetValueOrDefault("Authorization") ?? "(absent)"}, expected Bearer + the sink's token");
        }, NeedsSink),
        Sync("the event header " + Q + " is set to " + Q, (c, m) =>
        {
            var got = Event(c).Headers.GetValueOrDefault(m.Groups[1].Value);
            Expect.True(got is not null && got.Split(';')[0].Trim() == m.Groups[2].Value, $"event header {m.Groups[1].Value} is {got ?? "(absent)"}, expected {m.Groups[2].Value}");
        }, NeedsSink),
        Sync("(?:the event|notification) body complies with the OAS schema at " + Q, (c, m) => Expect.Schema(c, Event(c).Body, m.Groups[1].Value), NeedsSink),
        Sync("the event body property " + Q + " is unique", (c, m) =>
        {
            var ids = c.Sink!.At(c.SinkAddress!).Select(e => (string?)JsonPathLite.Get(e.Body, m.Groups[1].Value)).ToList();
            Expect.True(ids.All(i => i is not null) && ids.Distinct().Count() == ids.Count, $"event {m.Groups[1].Value} values are not unique: {string.Join(", ", ids)}");
        }, NeedsSink),
        Sync("the event body property " + Q + " (?:is set to|is) " + Q + "(?: or " + Q + ")?", (c, m) =>
        {
            string[] expected = m.Groups[3].Success ? [m.Groups[2].Value, m.Groups[3].Value] : [m.Groups[2].Value];
            expected = Notes.Apply(c, m.Groups[1].Value, expected);
            var got = (string?)JsonPathLite.Get(Event(c).Body, m.Groups[1].Value);
            Expect.True(got is not null && expected.Contains(got), $"event {m.Groups[1].Value} is {got ?? "(absent)"}, expected {string.Join(" or ", expected)}");
        }, NeedsSink),
        Sync("the event body property " + Q + " (?:has the same value as \\w+ response property " + Q + "|as returned for \\w+)", (c, m) =>
        {
            var name = m.Groups[2].Success ? m.Groups[2].Value : "$." + m.Groups[1].Value.Split('.')[^1];
            Expect.Equal(JsonPathLite.Get(Event(c).Body, m.Groups[1].Value), JsonPathLite.Get(c.Created!.ResponseBody, name), "event " + m.Groups[1].Value);
        }, NeedsSink),
        Sync("the event body property " + Q + " (exists only if .*)", (c, m) => Rules.Check(c, Event(c).Body, m.Groups[1].Value, m.Groups[2].Value), NeedsSink),
    ];

    private static JsonNode? SinkRequest(ScenarioContext c) => c.Created?.RequestBody ?? c.Last?.RequestBody;

    private static ReceivedEvent Event(ScenarioContext c) => c.Event ?? throw new InvalidOperationException("No event was awaited.");

    private static async Task WaitAsync(ScenarioContext c)
    {
        if (c.Event is not null)
        {
            return;
        }
        var address = c.SinkAddress ?? throw new InvalidOperationException("No sink was given in this scenario.");
        // Only events after the scenario's request (its When): earlier ones belong to the setup.
        var skip = c.EventMark;
        c.Event = await c.Sink!.WaitAsync(address, e => c.Sink.At(address).ToList().IndexOf(e) >= skip, Bound)
            ?? throw new StepFailedException($"no event arrived at the sink within {Bound.TotalSeconds} s");
    }
}
