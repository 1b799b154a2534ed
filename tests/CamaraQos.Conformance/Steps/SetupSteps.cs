using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>
/// The prose Given steps of the QoD family (sessions, assignments, profiles): existing resources created
/// through the API itself, and the values a deployment names in its profile.
/// </summary>
public static class SetupSteps
{
    private const string Q = "\"([^\"]*)\"";
    private const string Prop = @"the request(?: body)? property\s+" + Q;

    public static IEnumerable<Binding> All() =>
    [
        // Resources the scenario starts from, created through the API with the profile's default body.
        Of("an existing [\\w ]+ created by operation (\\w+)(?: with provided values for \"sink\" and \"sinkCredential\")?,?(?: and)? with (?:qosStatus|status) " + Q,
            async (c, m) => await CreateAsync(c, m.Groups[1].Value, m.Value.Contains("sink", StringComparison.Ordinal), m.Groups[2].Value),
            (api, cap, m) => m.Value.Contains("sink", StringComparison.Ordinal) ? EventSteps.NeedsSink(api, cap, m) : null),
        Of("an existing [\\w ]+ created by operation (\\w+)", async (c, m) => await CreateAsync(c, m.Groups[1].Value, false, null)),
        Of("a (?:QoS session|QoS assignment) has been created successfully and includes a valid sink (?:and|with) sinkCredentials?",
            async (c, _) => await CreateAsync(c, c.OperationWithBody(), true, null), EventSteps.NeedsSink),
        Of("a (?:QoD session|QoS assignment) already exists for that device", async (c, _) =>
        {
            var device = (c.Body as JsonObject)?["device"]?.DeepClone();
            await Sender.CreateAsync(c, c.OperationWithBody(), b => { if (device is not null) { b["device"] = device; } });
        }),
        Of("an existing QoS session (?:with qosStatus not \"AVAILABLE\"|failed to be created in the last \\d+ seconds)",
            async (c, _) => await CreateAsync(c, "createSession", false, "UNAVAILABLE", "unavailable"), Device("unavailable")),
        // The scenario's title says what is meant: an assignment that became UNAVAILABLE is kept at least 360 s.
        // An explicit revoke releases it at once (the spec), so the runner makes one that became UNAVAILABLE.
        Of("an existing QoS assignment deleted in the last \\d+ seconds", async (c, _) =>
        {
            Notes.Apply(c, "setup", ["deleted"]);
            await CreateAsync(c, "createQosAssignment", false, "UNAVAILABLE", "unavailable");
        }, Device("unavailable")),
        Sync("the path param(?:eter)? " + Q + " is set by default to an? exist\\w* .*", (c, m) =>
        {
            var name = m.Groups[1].Value;
            if (name == "name")
            {
                c.PathParameters[name] = (string)c.Value("existingQosProfile")!;
                return;
            }
            c.DeferredParameters[name] = async ctx => (string)(await Sender.CreateAsync(ctx, CreatorOf(ctx, name))).ResponseBody![name]!;
        }, (api, _, m) => m.Groups[1].Value == "name" ? Value("existingQosProfile")(api, default!, m) : null),
        Sync("the path param(?:eter)? " + Q + " is set to the (?:value for that [\\w ]+|identifier of an existing [\\w ]+)", (c, m) =>
        {
            var name = m.Groups[1].Value;
            if (name == "name")
            {
                c.PathParameters[name] = (string)c.Value("existingQosProfile")!;
                return;
            }
            c.DeferredParameters[name] = async ctx => (string?)ctx.Created?.ResponseBody?[name]
                ?? (string)(await Sender.CreateAsync(ctx, CreatorOf(ctx, name))).ResponseBody![name]!;
        }),
        Sync("an existing QoS profile", (_, _) => { }, Value("existingQosProfile")),
        Sync(Prop + " is set to an existing QoS profile name", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("existingQosProfile")), Value("existingQosProfile")),

        // getQosAssignmentByDevice: "the QoS assignment" the background speaks of is created before the request is sent.
        Sync("the header \"Authorization\" is set to a valid access token granted to the same client that created the QoS (?:assignment|session)", (c, _) =>
        {
            c.Token = new TokenKind.TwoLegged();
            if (c.HasBodyOperation())
            {
                c.SetBody(c.DefaultBodyForResource());
                c.Prerequisites["assignment"] = ctx => Sender.CreateAsync(ctx, CreatorOf(ctx, "assignmentId"));
            }
        }),
        Sync("a valid testing device with an existing QoS assignment, identified by the token or provided in the request body", (c, _) =>
        {
            c.UseDevice("supported");
            c.Prerequisites["assignment"] = ctx => Sender.CreateAsync(ctx, CreatorOf(ctx, "assignmentId"));
        }, Device("supported")),
        Sync("a valid testing device without an existing QoS assignment, identified by the token or provided in the request body", (c, _) =>
        {
            c.UseDevice("supported");
            c.Prerequisites.Remove("assignment");
        }, Device("supported")),

        // QoS profiles restricted to some devices (qos-profiles retrieveQoSProfiles 04/05).
        Sync("that implementation has QoS Profiles restricted to certain devices", (_, _) => { }, Binding.All(Value("restrictedQosProfiles"), Device("restricted"))),
        Sync("a device suitable for the restricted QoS Profiles is provided in the request body or identified by the access token", (c, _) => c.UseDevice("restricted"), Device("restricted")),
        Sync("(the restricted QoS Profiles are returned|no restricted QoS Profile is included) in the response", (c, m) =>
        {
            var names = (ResponseSteps.Body(c) as JsonArray ?? []).Select(p => (string?)p?["name"]).ToHashSet();
            var restricted = c.Value("restrictedQosProfiles").AsArray().Select(n => (string?)n).ToList();
            var wanted = m.Groups[1].Value.StartsWith("the", StringComparison.Ordinal);
            Expect.True(restricted.All(r => names.Contains(r) == wanted), $"restricted profiles {string.Join(", ", restricted)}; returned {string.Join(", ", names)}");
        }, Value("restrictedQosProfiles")),
        Sync("(?:and )?when the asynchronous deletion process is completed", (_, _) => { }),
        Sync("that implementation deletes QoS assignment (?:synchronously|asynchronously)", (_, _) => { }),

        // Sessions with a device that has (or has no) active sessions.
        Of("a valid testing device supported by the service, identified by the token or provided in the request body, with QoS active sessions associated", async (c, _) =>
        {
            c.UseDevice("supported");
            await Sender.CreateAsync(c, "createSession");
        }, Device("supported")),

        // Values in the body.
        Sync(Prop + " is set to a valid (?:application server|QoS Profile as returned by QoS Profiles API|duration for the selected QoS profile)", (c, m) =>
            Expect.True(JsonPathLite.Exists(c.Body, m.Groups[1].Value), $"the profile's default body has no {m.Groups[1].Value}")),
        Sync(Prop + " is set to a URL (?:where|when) events can be monitored", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.NewSinkAddress()), EventSteps.NeedsSink),
        // The spec requires the token's expiry beside it (AccessTokenCredential); the definition leaves it to "any compliant value".
        Sync(Prop + " is set to a valid access token accepted by the events receiver", (c, m) =>
        {
            JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "sink-" + Guid.NewGuid().ToString("N"));
            if (!JsonPathLite.Exists(c.Body, "$.sinkCredential.accessTokenExpiresUtc"))
            {
                JsonPathLite.Set(c.Body!, "$.sinkCredential.accessTokenExpiresUtc", InADay());
            }
        }),
        Sync(Prop + " is set to a value long enough in the future", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, InADay())),
        Sync(Prop + " is set to a non[- ]existent qos Profile", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "NON_EXISTENT_" + Guid.NewGuid().ToString("N")[..8])),
        Sync(Prop + " is set to an invalid duration for the selected qosProfile", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("invalidDuration")), Value("invalidDuration")),
        Sync("the requested QoS Profile exists but is not applicable for the (?:session|QoS assignment)", (c, _) => c.RequireBody()["qosProfile"] = c.Value("notApplicableQosProfile"), Value("notApplicableQosProfile")),
        Sync(Prop + " is set to a valid additional session duration", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, 60)),
        Sync("the \"maxDuration\" for the QoS profile of the session as returned by \"qos-profiles\" API", (c, _) => c.Value("maxDurationSeconds"), Value("maxDurationSeconds")),
        Sync(Prop + " is set to a value that added to the existing QoS session \"duration\" exceeds the \"maxDuration\" for the QoS Profile", (c, m) =>
            JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("maxDurationSeconds")), Value("maxDurationSeconds")),
        Sync("the response property " + Q + " does not exceed the \"maxDuration\" for the QoS Profile", (c, m) =>
            Expect.True((long?)JsonPathLite.Get(ResponseSteps.Body(c), m.Groups[1].Value) <= (long)c.Value("maxDurationSeconds"),
                $"{m.Groups[1].Value} exceeds maxDuration: {c.Last!.ResponseText}"), Value("maxDurationSeconds")),
    ];

    public static string InADay() => DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static string CreatorOf(ScenarioContext c, string idProperty) =>
        c.Api.Cleanup.FirstOrDefault(r => r.IdProperty == idProperty)?.Operation
        ?? throw new InvalidOperationException($"The profile has no cleanup rule naming the operation that creates {idProperty}.");

    private static async Task CreateAsync(ScenarioContext c, string operationId, bool withSink, string? status, string deviceRole = "supported")
    {
        var device = deviceRole == "supported" ? null : c.Device(deviceRole);
        var created = await Sender.CreateAsync(c, operationId, body =>
        {
            if (device is not null)
            {
                body["device"] = device;
            }
            if (withSink)
            {
                body["sink"] = c.NewSinkAddress();
                body["sinkCredential"] = new JsonObject
                {
                    ["credentialType"] = "ACCESSTOKEN",
                    ["accessToken"] = "sink-" + Guid.NewGuid().ToString("N"),
                    ["accessTokenExpiresUtc"] = InADay(),
                    ["accessTokenType"] = "bearer",
                };
            }
        });
        if (status is not null)
        {
            await Status.WaitAsync(c, created, status);
            if (withSink)
            {
                // The status is known, so its event is on its way: wait for it, so that the scenario's own
                // request is the only thing that can cause the events that follow.
                _ = await c.Sink!.WaitAsync(c.SinkAddress!, e => ((string?)(e.Body?["data"]?["qosStatus"] ?? e.Body?["data"]?["status"])) == status, TimeSpan.FromSeconds(30))
                    ?? throw new StepFailedException($"Setup: no {status} event arrived at the sink within 30 s");
            }
        }
    }
}
