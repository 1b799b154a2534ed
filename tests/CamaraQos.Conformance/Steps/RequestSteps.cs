using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>Steps that build the request: environment, resource, headers, tokens, body, path parameters.</summary>
public static class RequestSteps
{
    private const string Q = "\"([^\"]*)\"";
    private const string Prop = @"the request(?: body)? property\s+" + Q;

    public static IEnumerable<Binding> All() =>
    [
        Sync("an environment at " + Q, (_, _) => { }),
        Sync("Use the QoD MOCK URL", (_, _) => { }),
        Sync("the resource " + Q + "(?: as base-url)?", (c, m) => c.Resource = "/" + m.Groups[1].Value.Replace("{apiroot}", "", StringComparison.OrdinalIgnoreCase).TrimStart('/')),
        Sync("the header " + Q + " complies with the schema at " + Q, (c, m) => c.Headers[m.Groups[1].Value] = Guid.NewGuid().ToString()),
        Sync("the header " + Q + " is set to a UUID value", (c, m) => c.Headers[m.Groups[1].Value] = Guid.NewGuid().ToString()),
        Sync("the header \"Authorization\" is (?:not sent|removed)", (c, _) => c.Token = new TokenKind.None()),
        Sync("the header " + Q + " is (?:not sent|removed)", (c, m) => c.Headers[m.Groups[1].Value] = null),
        Sync("the header " + Q + " is set to " + Q, (c, m) => c.Headers[m.Groups[1].Value] = m.Groups[2].Value),

        // Tokens.
        Sync("the header \"Authorization\" is set to a valid (?:access token|two-legged access token)(?: which does not identify a single device)?", (c, _) => c.Token = new TokenKind.TwoLegged()),
        Sync("the header \"Authorization\" is set to a valid (?:access token identifying a device|3-legged access token associated to a valid testing device supported by the service)",
            (c, _) => { c.Token = new TokenKind.ThreeLegged("supported"); c.DeviceInToken = true; }, ThreeLegged("supported")),
        Sync("the header \"Authorization\" is set to a valid access token emitted to a client which did not created the QoS (?:assignment|session)",
            (c, _) => c.Token = new TokenKind.OtherClient(), (_, cap, _) => cap.OtherClient ? null : "the profile offers no second API client"),
        Sync(@"the header ""Authorization"" is set to an access token that does not include scope (\S+)", (c, m) => c.Token = new TokenKind.WithoutScope(m.Groups[1].Value)),
        Sync(@"the header ""Authorization"" is set to a valid access token without required scope", (c, _) => c.Token = new TokenKind.WithoutScope("")),
        Sync("an expired access token", (c, _) => c.Token = new TokenKind.Expired(), (_, cap, _) => cap.ExpiredToken ? null : "the profile offers no expired access token"),
        Sync("an invalid access token", (c, _) => c.Token = new TokenKind.Invalid()),
        Sync("the header \"Authorization\" is set to an expired access token", (c, _) => c.Token = new TokenKind.Expired(),
            (_, cap, _) => cap.ExpiredToken ? null : "the profile offers no expired access token"),
        Sync("the header \"Authorization\" is set to an invalid access token", (c, _) => c.Token = new TokenKind.Invalid()),

        // Body.
        Sync("the request body is set by default to a request body compliant with the schema(?: at " + Q + ")?", (c, _) => c.SetBody(c.DefaultBodyForResource())),
        Sync("(?:the request body is set to a valid request body|a request body compliant with the schema at " + Q + ")", (c, _) =>
        {
            // An operation without a body (getQosProfile): "a valid request body" is none.
            if (c.HasBodyOperation())
            {
                c.SetBody(c.DefaultBodyForResource());
            }
        }),
        Sync("the request body is not included", (c, _) => { c.BodyIncluded = false; c.Body = null; }),
        Sync("the request body is set to \\{\\}", (c, _) => c.SetBody(new JsonObject())),
        Sync("the request body is (?:set to any value which is not compliant with the schema at|not compliant with the schema) " + Q, (c, m) => c.SetBody(Invalid.Body(c, m.Groups[1].Value))),
        Sync(@"the request body propert(?:y|ies) ((?:""[^""]*""(?:,\s*|\s+and\s+)?)+) (?:is|are) (?:not included|removed)", (c, m) =>
        {
            foreach (var path in System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, Q).Select(x => x.Groups[1].Value))
            {
                JsonPathLite.Remove(c.RequireBody(), path);
            }
        }),
        Sync(Prop + " is not included", (c, m) => JsonPathLite.Remove(c.RequireBody(), m.Groups[1].Value)),
        Sync(Prop + " is set to:?\\s*(\\{.*\\}|\\[.*\\]|true|false|-?\\d+)", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, JsonNode.Parse(m.Groups[2].Value))),
        Sync(Prop + " is set to " + Q, (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, JsonValue.Create(m.Groups[2].Value))),
        Sync(Prop + " is set to the value \"?([^\"]*?)\"?", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, JsonValue.Create(m.Groups[2].Value))),
        Sync(Prop + " is set to a value other than " + Q, (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, JsonValue.Create(m.Groups[2].Value + "-other"))),
        Sync(Prop + " is set to a value not between between (\\d+) and (\\d+)", (c, m) =>
            JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, JsonValue.Create(long.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) + 1))),
        Sync(Prop + " does not comply with the OAS schema at " + Q, (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, Invalid.Value(c, m.Groups[2].Value))),

        // Devices.
        Sync("a valid testing device supported by the service, identified by the token or provided in the request body.*", (c, _) => c.UseDevice("supported"), Device("supported")),
        Sync("a valid testing device (?:with|without) an existing QoS assignment, identified by the token or provided in the request body", (c, _) => c.UseDevice("supported"), Device("supported")),
        Sync(Prop + " is set to a valid device", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Device("supported")), Device("supported")),
        Sync(Prop + " is compliant with the schema but does not identify a valid device", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Device("unknown")), Device("unknown")),
        Sync(Prop + " contains identifiers not matching any device in the system", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Device("unknown")), Device("unknown")),
        Sync("that some types of device identifiers are not supported by the implementation", (_, _) => { },
            (api, _, _) => api.UnsupportedIdentifierTypes.Count > 0 ? null : "the implementation supports every device identifier type"),
        Sync(Prop + " only includes device identifiers not supported by the implementation", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Device("unsupported")), Device("unsupported")),
        Sync("that the service is not available for all devices commercialized by the operator", (_, _) => { }, Device("notApplicable")),
        Sync("a (?:valid )?device(?:, identified by the token or provided in the request body,)? for which the service is not applicable(?:, provided in the request body or identified by the access token)?",
            (c, _) => c.UseDevice("notApplicable"), Device("notApplicable")),
        Sync("no device is provided in the request body or identified by the access token", (c, _) =>
        {
            c.Token = new TokenKind.TwoLegged();
            if (c.Body is JsonObject o)
            {
                o.Remove("device");
            }
        }),

        // Path parameters.
        Sync("the path param(?:eter)? " + Q + " is set to a random UUID", (c, m) => c.PathParameters[m.Groups[1].Value] = Guid.NewGuid().ToString()),
        Sync("the path param(?:eter)? " + Q + " (?:has not a UUID format|is set to an invalid format value)", (c, m) => c.PathParameters[m.Groups[1].Value] = "not-a-uuid"),
        Sync("the path param(?:eter)? " + Q + " is set to (?:a non-existent subscription ID|an unknown profile ID)", (c, m) => c.PathParameters[m.Groups[1].Value] = Guid.NewGuid().ToString()),
        Sync("the path param(?:eter)? " + Q + " is set to a random string compliant with the pattern", (c, m) => c.PathParameters[m.Groups[1].Value] = "UNKNOWN_" + Guid.NewGuid().ToString("N")[..12]),
        Sync("path parameter " + Q + @" has a length not between (\d+) and (\d+)", (c, m) => c.PathParameters[m.Groups[1].Value] = "ab"),
        Sync("path parameter " + Q + " does not match the regular expression " + Q, (c, m) => c.PathParameters[m.Groups[1].Value] = "not valid!"),
    ];

    private static Func<ApiProfile, Capabilities, System.Text.RegularExpressions.Match, string?> ThreeLegged(string role) =>
        (api, cap, _) => !cap.ThreeLegged ? "the deployment offers no 3-legged tokens (no CIBA endpoint)"
            : api.LoginHints.ContainsKey(role) ? null : Missing(api, "loginHints." + role);
}
