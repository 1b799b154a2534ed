using System.Text.Json;
using System.Text.Json.Nodes;

namespace CamaraQos.Conformance;

/// <summary>
/// What one deployment offers the test definitions (their "implementation indications" and "testing
/// assets"): a directory with <c>deployment.json</c> (tokens, event sink, shared devices) and one JSON file
/// per served API version (its feature files, spec, devices, default request bodies, named values and the
/// scenarios it cannot offer an asset for, each with its reason).
/// </summary>
public sealed class DeploymentProfile
{
    public string Name { get; set; } = "";

    /// <summary>Prefix of every resource path (CAMARA's <c>apiRoot</c>), relative to the base URL; usually empty.</summary>
    public string ApiRoot { get; set; } = "";

    public AuthProfile Auth { get; set; } = new();

    /// <summary>Where events are captured: the runner listens at <c>Listen</c>; providers post to <c>PublicUrl</c> (default: the listen URL).</summary>
    public SinkProfile? Sink { get; set; }

    public List<ApiProfile> Apis { get; set; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>A profile directory, or one API file whose directory holds <c>deployment.json</c>.</summary>
    public static DeploymentProfile Load(string path)
    {
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var deploymentFile = Path.Combine(directory, "deployment.json");
        var profile = JsonSerializer.Deserialize<DeploymentProfile>(File.ReadAllText(deploymentFile), Json)
            ?? throw new InvalidOperationException($"{deploymentFile} is empty.");
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.GetFiles(directory, "*.json").Where(f => Path.GetFileName(f) != "deployment.json").Order(StringComparer.Ordinal)
            : [path];
        foreach (var file in files)
        {
            var api = JsonSerializer.Deserialize<ApiProfile>(File.ReadAllText(file), Json)
                ?? throw new InvalidOperationException($"{file} is empty.");
            if (api.Features.Count == 0 || api.Spec.Length == 0)
            {
                throw new InvalidOperationException($"{file}: 'spec' and 'features' are required.");
            }
            profile.Apis.Add(api);
        }
        return profile;
    }
}

public sealed class AuthProfile
{
    /// <summary>OAuth 2.0 token endpoint (client_credentials), relative to the base URL or absolute.</summary>
    public string TokenUrl { get; set; } = "/oauth2/token";

    /// <summary>CIBA backchannel authentication endpoint for 3-legged tokens; null when the deployment offers none.</summary>
    public string? CibaUrl { get; set; }

    public ClientProfile Client { get; set; } = new();

    /// <summary>A second API client: "a client which did not create the resource".</summary>
    public ClientProfile? OtherClient { get; set; }

    /// <summary>A scope of another API, for "a token without scope X" where X is the API's only scope.</summary>
    public string? UnrelatedScope { get; set; }

    /// <summary>A literal expired access token the provider issued, when the runner cannot mint one.</summary>
    public string? ExpiredToken { get; set; }
}

public sealed class ClientProfile
{
    public string Id { get; set; } = "";
    public string Secret { get; set; } = "";
}

public sealed class SinkProfile
{
    public string Listen { get; set; } = "";
    public string? PublicUrl { get; set; }
}

public sealed class ApiProfile
{
    /// <summary>"quality-on-demand 1.1.0".</summary>
    public string Api { get; set; } = "";

    /// <summary>The spec file in specs/camara.</summary>
    public string Spec { get; set; } = "";

    /// <summary>Feature files under specs/camara/tests.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>Every scope of this API (a token "without scope X" gets the others).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Device identifier types the implementation does not support, among phoneNumber, ipv4Address, ipv6Address, networkAccessIdentifier.</summary>
    public List<string> UnsupportedIdentifierTypes { get; set; } = [];

    /// <summary>
    /// Device objects by role: <c>supported</c> (the testing device), <c>other</c> (a second supported
    /// device), <c>unknown</c> (schema-compliant, no such device), <c>notApplicable</c>, <c>unsupported</c>.
    /// </summary>
    public Dictionary<string, JsonObject> Devices { get; set; } = [];

    /// <summary>CIBA login hints by device role, for 3-legged tokens.</summary>
    public Dictionary<string, string> LoginHints { get; set; } = [];

    /// <summary>A valid request body per operationId (checked against the spec's schema before use).</summary>
    public Dictionary<string, JsonObject> Bodies { get; set; } = [];

    /// <summary>Named values the prose steps ask for (e.g. <c>invalidDuration</c>, <c>unavailableQosProfile</c>).</summary>
    public Dictionary<string, JsonNode> Values { get; set; } = [];

    /// <summary>
    /// Resources of other APIs a body refers to by a placeholder <c>"{name}"</c> (an application profile for
    /// connectivity insights): created when the request is sent, with the body a step chose (default
    /// <c>default</c>), and removed after the scenario.
    /// </summary>
    public Dictionary<string, Dependency> Dependencies { get; set; } = [];

    /// <summary>Requests sent after every scenario to restore the state scenarios change in place (no resource to delete).</summary>
    public List<ResetRequest> AfterEach { get; set; } = [];

    /// <summary>Resources created by a scenario and removed after it: the id property and the resource path with it.</summary>
    public List<CleanupRule> Cleanup { get; set; } = [];

    /// <summary>Why an asset is not offered (<c>devices.notApplicable</c>, <c>values.x</c>, <c>sink</c>): shown in the report.</summary>
    public Dictionary<string, string> Unavailable { get; set; } = [];

    /// <summary>
    /// Scenario ids (tag, or tag#row) that describe an implementation choice this deployment did not make
    /// (e.g. asynchronous deletion when it deletes synchronously), with the reason.
    /// </summary>
    public Dictionary<string, string> NotApplicable { get; set; } = [];
}

public sealed class CleanupRule
{
    /// <summary>The operationId that creates such a resource (for "set by default to an existing ...").</summary>
    public string Operation { get; set; } = "";

    public string IdProperty { get; set; } = "";
    public string Resource { get; set; } = "";
}

public sealed class ResetRequest
{
    public string Method { get; set; } = "PUT";
    public string Resource { get; set; } = "";
    public JsonObject? Body { get; set; }

    /// <summary>A device role whose 3-legged token the request carries; null: 2-legged.</summary>
    public string? ThreeLegged { get; set; }
}

public sealed class Dependency
{
    /// <summary>Where it is created (POST), relative to the API root; its id is appended for the DELETE.</summary>
    public string Resource { get; set; } = "";

    /// <summary>Bodies by variant (<c>default</c>, and e.g. <c>met</c>/<c>unmet</c> for thresholds a device meets or not).</summary>
    public Dictionary<string, JsonObject> Bodies { get; set; } = [];
}
