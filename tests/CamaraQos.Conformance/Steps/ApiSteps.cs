using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using static CamaraQos.Conformance.Steps.Binding;

namespace CamaraQos.Conformance.Steps;

/// <summary>
/// The prose steps of application-profiles 0.5.0, home-devices-qod 0.4.0 and quality-on-demand 0.10.1:
/// bodies from the profile, named values, and the deployment behaviours a profile may not be able to offer.
/// </summary>
public static class ApiSteps
{
    private const string Q = "\"([^\"]*)\"";
    private const string Prop = @"the request(?: body)? property\s+" + Q;

    public static IEnumerable<Binding> All() =>
    [
        // Application profiles.
        Sync("a valid application profile request body with inconsistent information compared to the token", (c, _) => c.SetBody(c.Value("inconsistentApplicationProfile")),
            Value("inconsistentApplicationProfile")),
        Sync("a valid application profile request body(?: with network quality thresholds)?", (c, _) => c.SetBody(c.DefaultBody("createApplicationProfile"))),
        Sync("a valid application profile update request body", (c, _) => c.SetBody(c.DefaultBody("updateApplicationProfile"))),

        // Home devices QoD: the home network is the 3-legged token's.
        Sync("the access token identifies the user and the user home network", (c, _) => { c.Token = new TokenKind.ThreeLegged("supported"); c.DeviceInToken = true; },
            (api, cap, _) => cap.ThreeLegged ? Device("supported")(api, cap, null!) is null && api.LoginHints.ContainsKey("supported") ? null : Missing(api, "loginHints.supported")
                : "the deployment offers no 3-legged tokens (no CIBA endpoint)"),
        Sync("the access token does not contain user home network identifier", (c, _) => c.Token = new TokenKind.TwoLegged()),
        Sync(Prop + " is set to the IP address of the device connected to the user home network", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("homeDeviceIp")), Value("homeDeviceIp")),
        Sync(Prop + " is set to a non-existent IP address for any device connected to the user home network", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("unknownHomeDeviceIp")), Value("unknownHomeDeviceIp")),
        Sync(Prop + " is not set to a valid IPv4 address", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "300.1.2.3")),
        Sync(Prop + " is not set to any of the allowed values", (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, "not_a_service_class")),
        Sync(Prop + " is set to a value different from " + Q, (c, m) => JsonPathLite.Set(c.RequireBody(), m.Groups[1].Value, c.Value("nonDefaultServiceClass")), Value("nonDefaultServiceClass")),
        Sync("the device service class (?:was previously|is) set to " + Q, (c, m) =>
        {
            var serviceClass = m.Groups[1].Value;
            c.Prerequisites["serviceClass"] = async ctx =>
            {
                var body = new JsonObject { ["serviceClass"] = serviceClass, ["ipAddress"] = ctx.Value("homeDeviceIp") };
                var e = await Sender.SendRawAsync(ctx, "PUT", Sender.Url(ctx, ctx.BasePath + "/qos"), body.ToJsonString(), ctx.Token, new Dictionary<string, string?>());
                // "standard" on a device already at its default is 409 QOS_ALREADY_SET_TO_DEFAULT: it is standard either way.
                Expect.True(e.Status == 204 || (serviceClass == "standard" && e.Status == 409), $"Setup: setting {serviceClass} answered {e.Status}: {e.ResponseText}");
                return e;
            };
        }, Value("homeDeviceIp")),
        Sync("a user with the maximum quantity of devices with non-default QoS behaviour", (_, _) => { }, Value("homeAtDeviceLimit")),
        Sync("the RSSI value from device is less than threshold", (_, _) => { }, Value("deviceBelowRssiThreshold")),
        Sync("the home user network has a QoS limit allowed", (_, _) => { }, Value("homeWithQosLimit")),
        Sync(Prop + " is set to a value higher than the maximum QoS allowed for the user home network", (_, _) => { }, Value("homeWithQosLimit")),
        Sync("the user home network occupancy is above the threshold", (_, _) => { }, Value("homeAboveOccupancy")),
        Sync("a user with a device connected to a specific frequency band that does not match to the required interface", (_, _) => { }, Value("deviceOnWrongBand")),
        Sync("a user with a device that does not support the required interface", (_, _) => { }, Value("deviceWithoutRequiredInterface")),
        Sync("the router is offline", (_, _) => { }, Value("homeWithRouterOffline")),

        // Quality on demand 0.10.1 (the sanity flows of its test file).
        Sync("Use the QoD MOCK URL with invalid scenario", (_, _) => { }),
        Of("Create a new QoD session (?:along )?with (?:mandatory|all) parameters", async (c, m) =>
        {
            c.SetBody(c.DefaultBody(m.Value.EndsWith("all parameters", StringComparison.Ordinal) ? "createSession.all" : "createSession"));
            c.Created = await Sender.SendAsync(c, null, "createSession");
        }),
        Of("Create a new QoD session with parameters", async (c, _) =>
        {
            c.SetBody(Invalid.Body(c, "/components/schemas/CreateSession"));
            await Sender.SendAsync(c, null, "createSession");
        }),
        Run("Get QoD session", async c2 => await SessionAsync(c2, "getSession", created: true)),
        Run("Delete existing QoD session", async c2 => await SessionAsync(c2, "deleteSession", created: true)),
        Run("Delete Invalid QoD session", async c2 => await SessionAsync(c2, "deleteSession", created: false)),
    ];

    private static Binding Run(string pattern, Func<ScenarioContext, Task> run) => Binding.Of(pattern, (c, _) => run(c));

    private static async Task SessionAsync(ScenarioContext c, string operationId, bool created)
    {
        c.PathParameters["sessionId"] = created
            ? (string?)c.Created?.ResponseBody?["sessionId"] ?? throw new StepFailedException("no session was created")
            : Guid.NewGuid().ToString();
        c.SetBody(null);
        c.BodyIncluded = false;
        await Sender.SendAsync(c, null, operationId);
    }
}
