using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CamaraQos.Conformance.Definitions;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>Steps that send the request and check the response: status, headers, properties, schemas, rules.</summary>
public static class ResponseSteps
{
    private const string Q = "\"([^\"]*)\"";
    private const string Resp = "the response property " + Q;

    public static IEnumerable<Binding> All() =>
    [
        Of("the request " + Q + " is sent( with the created subscription ID)?", async (c, m) =>
        {
            if (m.Groups[2].Success)
            {
                c.PathParameters["subscriptionId"] = (string?)c.Created?.ResponseBody?["subscriptionId"] ?? throw new StepFailedException("no subscription was created");
            }
            await Sender.SendAsync(c, null, m.Groups[1].Value);
        }),
        Of("the HTTP " + Q + " request is sent", async (c, m) => await Sender.SendAsync(c, m.Groups[1].Value, null)),
        Sync(@"(?:the )?response (?:status )?code is (\d+)", (c, m) => Expect.Status(c, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))),
        Sync("the response header " + Q + " is " + Q, (c, m) => Expect.Header(c, m.Groups[1].Value, m.Groups[2].Value)),
        Sync("the response header " + Q + " has (?:the )?same value as the request header " + Q, (c, m) => Expect.SameHeader(c, m.Groups[1].Value, m.Groups[2].Value)),
        Sync(Resp + " is " + Q + " or " + Q, (c, m) => Expect.Code(c, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)),
        Sync(Resp + @" is one of ((?:""[^""]*""(?:,\s*)?)+)", (c, m) => Expect.Code(c, m.Groups[1].Value, [.. Regex.Matches(m.Groups[2].Value, Q).Select(x => x.Groups[1].Value)])),
        Sync(Resp + " is " + Q, (c, m) => Expect.Code(c, m.Groups[1].Value, m.Groups[2].Value)),
        Sync(Resp + @" is (-?\d+)", (c, m) => Expect.Number(c, Body(c), m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))),
        Sync(Resp + " contains a user[ -]friendly text.*", (c, m) => Expect.Text(Body(c), m.Groups[1].Value)),
        Sync("the response body complies with the OAS schema at " + Q, (c, m) => Expect.Schema(c, Body(c), m.Groups[1].Value)),
        Sync("each item of the response array(?:, if any,)? complies with the OAS schema at " + Q, (c, m) => Expect.Items(c, m.Groups[1].Value, min: 0)),
        Sync("the response body has an array of items and each item complies with the OAS schema at " + Q, (c, m) => Expect.Items(c, m.Groups[1].Value, min: 0)),
        Sync("the response array has only one item which complies with the OAS schema at " + Q, (c, m) => Expect.Items(c, m.Groups[1].Value, min: 1, max: 1)),
        Sync("the response body is (?:\\[\\]|an empty array)", (c, _) => Expect.True(Body(c) is JsonArray { Count: 0 }, $"expected [], got {c.Last!.ResponseText}")),
        Sync(Resp + " does not exist", (c, m) => Expect.True(!JsonPathLite.Exists(Body(c), m.Groups[1].Value), $"{m.Groups[1].Value} exists: {c.Last!.ResponseText}")),
        Sync(Resp + " matches the rule: (.*)", (c, m) => Rules.Check(c, Body(c), m.Groups[1].Value, m.Groups[2].Value)),
        Sync(Resp + " (exists.*|has the same value as in the request body|has the value provided for \\w+)", (c, m) => Rules.Check(c, Body(c), m.Groups[1].Value, m.Groups[2].Value)),
        Sync("in all items in the response, property " + Q + " (.*)", (c, m) =>
        {
            foreach (var item in Body(c) as JsonArray ?? throw new StepFailedException("the response is not an array"))
            {
                Rules.Check(c, item, m.Groups[1].Value, m.Groups[2].Value);
            }
        }),
        Sync("each item of the response array, if any, has property " + Q + " equal to \"?([^\"]*?)\"?", (c, m) =>
        {
            var expected = m.Groups[2].Value;
            foreach (var value in JsonPathLite.Select(Body(c), m.Groups[1].Value))
            {
                Expect.True((string?)value == expected, $"{m.Groups[1].Value} is {value?.ToJsonString()}, expected {expected}");
            }
        }),
        Sync(Resp + " value is equal to path param " + Q, (c, m) => Expect.Equal(JsonPathLite.Get(Body(c), m.Groups[1].Value), JsonValue.Create(c.PathParameters[m.Groups[2].Value]), m.Groups[1].Value)),
        Sync(Resp + " value is equal to the request body property " + Q, (c, m) => Expect.Equal(JsonPathLite.Get(Body(c), m.Groups[1].Value), JsonPathLite.Get(c.Last!.RequestBody, m.Groups[2].Value), m.Groups[1].Value)),
        Sync(Resp + " is not lower than request property " + Q, (c, m) => Expect.True(
            (double?)JsonPathLite.Get(Body(c), m.Groups[1].Value) >= (double?)JsonPathLite.Get(c.Last!.RequestBody, m.Groups[2].Value),
            $"{m.Groups[1].Value} is lower than the request's {m.Groups[2].Value}")),
        Sync("the response contains a valid " + Q, (c, m) => Expect.True((string?)JsonPathLite.Get(Body(c), m.Groups[1].Value) is { Length: > 0 }, $"{m.Groups[1].Value} is not a non-empty string: {c.Last!.ResponseText}")),
        Sync("the response contains a valid UUID as " + Q, (c, m) => Expect.True(Guid.TryParseExact((string?)JsonPathLite.Get(Body(c), m.Groups[1].Value) ?? "", "D", out _), $"{m.Groups[1].Value} is not a UUID")),
    ];

    public static JsonNode? Body(ScenarioContext c) => (c.Last ?? throw new InvalidOperationException("No request was sent.")).ResponseBody;
}
