using CamaraQos.Controller.InsightsSubscriptions;
using FsCheck;
using FsCheck.Fluent;
using static CamaraQos.Controller.Tests.Contract.Hostile.BadValues;

namespace CamaraQos.Controller.Tests.Contract.Hostile;

/// <summary>Every served API's operations with a valid request each, and the bad requests generated from them.</summary>
public static class Catalogue
{
    private const string Device = """{"phoneNumber": "+34600000001"}""";
    private const string Server = """{"ipv4Address": "203.0.113.10"}""";
    private const string Ports = """{"ports": [443]}""";
    private const string Credential = """{"credentialType": "ACCESSTOKEN", "accessToken": "t0k3n", "accessTokenExpiresUtc": "2099-01-01T00:00:00Z", "accessTokenType": "bearer"}""";

    public static IReadOnlyList<string> Apis { get; } =
    [
        "quality-on-demand v1", "quality-on-demand v0", "qos-profiles", "qos-provisioning", "application-profiles",
        "connectivity-insights", "connectivity-insights-subscriptions", "home-devices-qod", "oauth2 token", "oauth2 ciba", "admin subscribers",
    ];

    public static Gen<HostileRequest> For(string api) => api switch
    {
        "quality-on-demand v1" => Of(QodV1()),
        "quality-on-demand v0" => Of(QodV0()),
        "qos-profiles" => Of(QosProfiles()),
        "qos-provisioning" => Of(QosProvisioning()),
        "application-profiles" => Of(ApplicationProfiles()),
        "connectivity-insights" => Of(Insights()),
        "connectivity-insights-subscriptions" => Of(Subscriptions()),
        "home-devices-qod" => Of(HomeDevices()),
        "oauth2 token" => OAuth.Token(),
        "oauth2 ciba" => OAuth.Ciba(),
        "admin subscribers" => Of(AdminSubscribers()),
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, null),
    };

    private static Gen<HostileRequest> Of(IEnumerable<Operation> operations) => Gen.OneOf(operations.Select(o => o.Generator()));

    private static IEnumerable<Hole> DeviceHoles(string at, Gen<string>? phone = null) =>
    [
        new($"{at}.phoneNumber", phone ?? Phone),
        new($"{at}.ipv4Address.publicAddress", Ipv4),
        new($"{at}.ipv4Address.privateAddress", Ipv4),
        new($"{at}.ipv4Address.publicPort", Port),
        new($"{at}.ipv6Address", Ipv6),
        new($"{at}.networkAccessIdentifier", Gen.Elements(["\"\"", "1", "[]", "{}"])),
        new(at, Gen.Elements(["\"+34600000001\"", "[]", "42", "true", "\"\""])),
    ];

    private static IEnumerable<Hole> ServerHoles(string at) =>
    [
        new($"{at}.ipv4Address", Ipv4Prefix),
        new($"{at}.ipv6Address", Ipv6Prefix),
        new(at, Gen.Elements(["\"203.0.113.10\"", "[]", "{}", "42"])),
    ];

    private static IEnumerable<Hole> PortHoles(string at) =>
    [
        new($"{at}.ports", PortList),
        new($"{at}.ranges", RangeList),
        new(at, Gen.Elements(["{}", "[]", "443", "\"443\""])),
    ];

    private static Hole[] Holes(params IEnumerable<Hole>[] groups) => [.. groups.SelectMany(g => g)];

    private static IEnumerable<Operation> QodV1()
    {
        const string path = "/quality-on-demand/v1";
        var create = $$"""{"device": {{Device}}, "applicationServer": {{Server}}, "applicationServerPorts": {{Ports}}, "qosProfile": "QOS_E", "duration": 60}""";
        return
        [
            new("POST", path + "/sessions", create, Sender.TwoLegged,
                Holes(DeviceHoles("device"), ServerHoles("applicationServer"), PortHoles("applicationServerPorts"), PortHoles("devicePorts"),
                [
                    new("qosProfile", ProfileName), new("duration", Integer(1, int.MaxValue)), new("sink", Url),
                    new("sinkCredential", Gen.Elements([Credential.Replace("2099-01-01T00:00:00Z", "2099-01-01T00:00:00", StringComparison.Ordinal), "[]", "\"x\""])),
                ]),
                ["device", "applicationServer", "qosProfile", "duration"]),
            new("POST", path + "/retrieve-sessions", $$"""{"device": {{Device}} }""", Sender.TwoLegged, Holes(DeviceHoles("device")), ["device"]),
            new("POST", path + "/sessions/{id}/extend", """{"requestedAdditionalDuration": 60}""", Sender.TwoLegged,
                [new("requestedAdditionalDuration", Integer(1, int.MaxValue))], ["requestedAdditionalDuration"]),
            new("GET", path + "/sessions/{id}", null, Sender.TwoLegged, [], []),
            new("DELETE", path + "/sessions/{id}", null, Sender.TwoLegged, [], []),
        ];
    }

    /// <summary>QoD v0's phone pattern is ^\+?[0-9]{5,15}$: without '+' it is valid there.</summary>
    private static Gen<string> V0Phone => Phone.Where(v => v != "\"34600000001\"");

    private static IEnumerable<Operation> QodV0()
    {
        const string path = "/qod/v0";
        var create = $$"""{"device": {{Device}}, "applicationServer": {{Server}}, "applicationServerPorts": {{Ports}}, "qosProfile": "QOS_E", "duration": 60}""";
        return
        [
            new("POST", path + "/sessions", create, Sender.TwoLegged,
                Holes(DeviceHoles("device", V0Phone), ServerHoles("applicationServer"), PortHoles("applicationServerPorts"), PortHoles("devicePorts"),
                [new("qosProfile", ProfileName), new("duration", Integer(1, int.MaxValue)), new("webhook.notificationUrl", Url), new("webhook", Gen.Elements(["[]", "\"x\"", "1"]))]),
                ["applicationServer", "qosProfile"]),
            new("POST", path + "/sessions/{id}/extend", """{"requestedAdditionalDuration": 60}""", Sender.TwoLegged,
                [new("requestedAdditionalDuration", Integer(1, int.MaxValue))], ["requestedAdditionalDuration"]),
            new("GET", path + "/sessions/{id}", null, Sender.TwoLegged, [], []),
            new("DELETE", path + "/sessions/{id}", null, Sender.TwoLegged, [], []),
        ];
    }

    private static IEnumerable<Operation> QosProfiles() =>
    [
        new("POST", "/qos-profiles/v1/retrieve-qos-profiles", $$"""{"device": {{Device}} }""", Sender.TwoLegged,
            Holes(DeviceHoles("device"), [new("name", Gen.Elements(["42", "[]", "{}", "true"])), new("status", Gen.Elements(["\"NOPE\"", "1", "[]", "{}"]))]), []),
    ];

    private static IEnumerable<Operation> QosProvisioning()
    {
        const string path = "/qos-provisioning/v0.3";
        return
        [
            new("POST", path + "/qos-assignments", $$"""{"device": {{Device}}, "qosProfile": "QOS_E"}""", Sender.TwoLegged,
                Holes(DeviceHoles("device"), [new("qosProfile", ProfileName), new("sink", Url)]), ["device", "qosProfile"]),
            new("POST", path + "/retrieve-qos-assignment", $$"""{"device": {{Device}} }""", Sender.TwoLegged, Holes(DeviceHoles("device")), ["device"]),
            new("GET", path + "/qos-assignments/{id}", null, Sender.TwoLegged, [], []),
            new("DELETE", path + "/qos-assignments/{id}", null, Sender.TwoLegged, [], []),
        ];
    }

    private static IEnumerable<Operation> ApplicationProfiles()
    {
        const string path = "/application-profiles/v0.5/application-profiles";
        const string create = """
            {"networkQualityThresholds": {"packetDelayBudget": {"value": 20, "unit": "Milliseconds"}, "jitter": {"value": 5, "unit": "Milliseconds"},
             "targetMinDownstreamRate": {"value": 10, "unit": "Mbps"}, "targetMinUpstreamRate": {"value": 2, "unit": "Mbps"}}}
            """;
        const string q = "networkQualityThresholds";
        Hole[] holes =
        [
            new($"{q}.packetDelayBudget.value", Integer(1, int.MaxValue)),
            new($"{q}.packetDelayBudget.unit", Gen.OneOf(EnumValue, Gen.Elements(["\"Weeks\"", "\"milliseconds\""]))),
            new($"{q}.jitter.value", Integer(0, int.MaxValue)),
            new($"{q}.targetMinDownstreamRate.value", Gen.Elements(["-1", "\"10\"", "[]", "1e400", "true"])),
            new($"{q}.targetMinUpstreamRate.unit", Gen.OneOf(EnumValue, Gen.Elements(["\"mbps\"", "\"bits\""]))),
            new(q, Gen.Elements(["{}", "[]", "\"x\""])),
            new("computeResources", Gen.Elements(["{}", "[]", "1"])),
        ];
        return
        [
            new("POST", path, create, Sender.TwoLegged, holes, [q]),
            new("PATCH", path + "/{id}", create, Sender.TwoLegged, holes, []),
            new("GET", path + "/{id}", null, Sender.TwoLegged, [], []),
            new("DELETE", path + "/{id}", null, Sender.TwoLegged, [], []),
        ];
    }

    private static IEnumerable<Operation> Insights()
    {
        var check = $$"""{"applicationProfileId": "{{Guid.NewGuid()}}", "device": {{Device}}, "applicationServer": {{Server}}, "applicationServerPorts": {{Ports}}}""";
        return
        [
            new("POST", "/connectivity-insights/v0.6/check-network-quality", check, Sender.TwoLegged,
                Holes(DeviceHoles("device"), ServerHoles("applicationServer"), PortHoles("applicationServerPorts"), [new("applicationProfileId", Uuid)]),
                ["applicationProfileId"]),
        ];
    }

    private static IEnumerable<Operation> Subscriptions()
    {
        const string path = "/connectivity-insights-subscriptions/v0.6/subscriptions";
        var create = $$$"""
            {"protocol": "HTTP", "sink": "https://sink.example.com/events", "sinkCredential": {{{Credential}}}, "types": ["{{{InsightsSubscription.EventType}}}"],
             "config": {"subscriptionDetail": {"applicationProfileId": "{{{Guid.NewGuid()}}}", "device": {{{Device}}}, "applicationServer": {{{Server}}}, "applicationServerPorts": {{{Ports}}} },
                        "subscriptionExpireTime": "2099-01-01T00:00:00Z", "subscriptionMaxEvents": 10, "initialEvent": true}}
            """;
        const string detail = "config.subscriptionDetail";
        return
        [
            new("POST", path, create, Sender.TwoLegged,
                Holes(DeviceHoles($"{detail}.device"), ServerHoles($"{detail}.applicationServer"), PortHoles($"{detail}.applicationServerPorts"),
                [
                    new("protocol", Gen.OneOf(EnumValue, Gen.Elements(["\"MQTT\"", "\"http\""]))),
                    new("sink", Url),
                    new("sinkCredential.credentialType", Gen.Elements(["\"PLAIN\"", "\"REFRESHTOKEN\"", "1", "\"\""])),
                    new("sinkCredential.accessTokenExpiresUtc", BadValues.DateTime),
                    new("sinkCredential", Gen.Elements(["[]", "\"x\"", "1"])),
                    new("types", Gen.Elements(["[]", "[\"x\"]", "[null]", $"\"{InsightsSubscription.EventType}\"", $"[\"{InsightsSubscription.EventType}\", \"{InsightsSubscription.EndedEventType}\"]"])),
                    new("config.subscriptionMaxEvents", Integer(1, int.MaxValue)),
                    new("config.subscriptionExpireTime", Gen.OneOf(BadValues.DateTime, Gen.Elements(["\"2000-01-01T00:00:00Z\""]))),
                    new("config.initialEvent", BadValues.Boolean),
                    new($"{detail}.applicationProfileId", Uuid),
                    new("config", Gen.Elements(["[]", "\"x\"", "{}"])),
                ]),
                ["sink", "types", "config", "protocol"]),
            new("GET", path + "/{id}", null, Sender.TwoLegged, [], []),
            new("DELETE", path + "/{id}", null, Sender.TwoLegged, [], []),
        ];
    }

    private static IEnumerable<Operation> HomeDevices() =>
    [
        new("PUT", "/home-devices-qod/v0.4/qos", $$"""{"serviceClass": "{{CamaraQos.Controller.HomeDevicesQod.ServiceClass.All[^1].Name}}", "ipAddress": "192.168.1.10"}""", Sender.ThreeLegged,
            [new("serviceClass", Gen.OneOf(EnumValue, Gen.Elements(["\"no_such_class\"", "null"]))), new("ipAddress", Ipv4)], ["serviceClass", "ipAddress"]),
    ];

    private static IEnumerable<Operation> AdminSubscribers()
    {
        const string put = """{"phoneNumbers": ["+34611111111"], "agentId": "sandbox-gw-1", "deviceMac": "02:00:00:00:09:09"}""";
        var tooMany = "[" + string.Join(',', Enumerable.Range(0, Camara.ListLimits.MaxIdentifiers + 1).Select(i => $"\"+346{i:D8}\"")) + "]";
        Hole[] holes =
        [
            new("phoneNumbers", Gen.OneOf(Gen.Elements(["[null]", "[\"123\"]", "\"+34611111111\"", "[34611111111]", tooMany]), Junk("phone").Select(j => $"[{j}]"))),
            new("networkAccessIdentifiers", Gen.Elements(["[\"no-at\"]", "[null]", "[\"\"]", "\"a@b\"", $"[\"{new string('a', 250)}@example.com\"]"])),
            new("agentId", Gen.OneOf(Gen.Elements(["\"bad id\"", "\"\"", "1", "null", $"\"{new string('g', 65)}\"", "\"gw/../x\""]), Junk("agent"))),
            new("deviceMac", Gen.Elements(["\"02:00:00:00:09\"", "\"zz:00:00:00:00:00\"", "\"02-00-00-00-09-09\"", "1", "\"\""])),
        ];
        var badIds = Gen.Elements([
            "..%2f..%2fetc%2fpasswd", "a%20b", new string('s', 129), "%C3%A9t%C3%A9", "%0a", ".hidden", "-x", "a%2fb", "%7Bid%7D", "x%3Cscript%3E"]);
        return
        [
            new("PUT", "/admin/v1/subscribers/fuzz-subscriber", put, Sender.Admin, holes, ["agentId"]),
            .. new[] { "PUT", "GET", "DELETE" }.Select(m => new Operation(m, "/admin/v1/subscribers/{id}", m == "PUT" ? put : null, Sender.Admin, [], [], badIds)),
        ];
    }
}
