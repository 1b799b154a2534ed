using System.Text.Json.Nodes;
using CamaraQos.Conformance.Definitions;
using CamaraQos.Conformance.Http;

namespace CamaraQos.Conformance;

/// <summary>Which access token a request carries; resolved when it is sent, so later steps can change it.</summary>
public abstract record TokenKind
{
    public sealed record None : TokenKind;
    public sealed record TwoLegged : TokenKind;
    public sealed record ThreeLegged(string DeviceRole) : TokenKind;
    public sealed record OtherClient : TokenKind;
    public sealed record WithoutScope(string Scope) : TokenKind;
    public sealed record Expired : TokenKind;
    public sealed record Invalid : TokenKind;
    public sealed record Literal(string Value) : TokenKind;
}

/// <summary>A sent request and what came back.</summary>
public sealed record Exchange(string Method, string Path, JsonNode? RequestBody, IReadOnlyDictionary<string, string> RequestHeaders,
    int Status, IReadOnlyDictionary<string, string> ResponseHeaders, string ResponseText, JsonNode? ResponseBody);

/// <summary>The state of one scenario while its steps run.</summary>
public sealed class ScenarioContext(DeploymentProfile deployment, ApiProfile api, OpenApiDocument spec, HttpClient http, TokenSource tokens, EventSink? sink)
{
    public DeploymentProfile Deployment { get; } = deployment;
    public ApiProfile Api { get; } = api;
    public OpenApiDocument Spec { get; } = spec;
    public HttpClient Http { get; } = http;
    public TokenSource Tokens { get; } = tokens;
    public EventSink? Sink { get; } = sink;

    public string Resource { get; set; } = "";
    public Dictionary<string, string> PathParameters { get; } = [];
    public Dictionary<string, Func<ScenarioContext, Task<string>>> DeferredParameters { get; } = [];

    /// <summary>The API's base path from the spec's first server (<c>{apiRoot}/quality-on-demand/v1</c>).</summary>
    public string BasePath => ((string?)Spec.Document["servers"]?[0]?["url"] ?? "").Replace("{apiRoot}", "", StringComparison.Ordinal);

    /// <summary>Request headers by name; a null value is a header not sent.</summary>
    public Dictionary<string, string?> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TokenKind Token { get; set; } = new TokenKind.TwoLegged();

    /// <summary>The request body; <see cref="BodyIncluded"/> false sends none; <see cref="RawBody"/> overrides both.</summary>
    public JsonNode? Body { get; set; }
    public bool BodyIncluded { get; set; }
    public string? RawBody { get; set; }

    public Exchange? Last { get; set; }

    /// <summary>The exchange that created the resource a scenario works on ("provided for createSession").</summary>
    public Exchange? Created { get; set; }

    /// <summary>Paths to DELETE when the scenario ends (resources it created).</summary>
    public List<string> CleanupPaths { get; } = [];

    /// <summary>NOTES.md rows this scenario applied, with what they changed.</summary>
    public List<string> NotesApplied { get; } = [];

    public string ScenarioId { get; set; } = "";

    /// <summary>The sink address this scenario gave the provider, and the first event that arrived there.</summary>
    public string? SinkAddress { get; set; }
    public ReceivedEvent? Event { get; set; }

    /// <summary>How many events were at the sink address when the scenario's last request was sent.</summary>
    public int EventMark { get; set; }

    /// <summary>A fresh sink address for this scenario.</summary>
    public string NewSinkAddress() => SinkAddress = (Sink ?? throw new NotApplicableException("the profile offers no sink")).NewAddress();

    public JsonObject Device(string role) => Api.Devices.TryGetValue(role, out var d)
        ? (JsonObject)d.DeepClone()
        : throw new NotApplicableException($"the profile offers no '{role}' device");

    public JsonNode Value(string key) => Api.Values.TryGetValue(key, out var v)
        ? v.DeepClone()
        : throw new NotApplicableException($"the profile offers no value '{key}'");

    public JsonObject DefaultBody(string operationId) => Api.Bodies.TryGetValue(operationId, out var b)
        ? (JsonObject)b.DeepClone()
        : throw new InvalidOperationException($"the profile has no default body for {operationId}");

    public JsonNode RequireBody()
    {
        BodyIncluded = true;
        return Body ??= new JsonObject();
    }

    /// <summary>True when the token (3-legged) identifies the device, so the body must not.</summary>
    public bool DeviceInToken { get; set; }

    public void SetBody(JsonNode? body)
    {
        Body = body;
        BodyIncluded = true;
        RawBody = null;
    }

    /// <summary>The operation that takes a body at the scenario's resource (POST/PUT/PATCH).</summary>
    public string OperationWithBody() => Spec.OperationsAt(Resource.StartsWith(BasePath, StringComparison.Ordinal) ? Resource[BasePath.Length..] : Resource)
        .FirstOrDefault(o => o.HasBody).OperationId ?? throw new InvalidOperationException($"{Spec.File} has no operation with a body at {Resource}.");

    public bool HasBodyOperation() => Spec.OperationsAt(Resource.StartsWith(BasePath, StringComparison.Ordinal) ? Resource[BasePath.Length..] : Resource).Any(o => o.HasBody);

    /// <summary>Which body variant a dependency placeholder is created with ("met", "unmet"; default "default").</summary>
    public Dictionary<string, string> Variants { get; } = [];

    /// <summary>What must exist before the request is sent (run once, at the first send), by name so a later step can withdraw it.</summary>
    public Dictionary<string, Func<ScenarioContext, Task<Exchange>>> Prerequisites { get; } = [];

    public JsonObject DefaultBodyForResource() => DefaultBody(OperationWithBody());

    /// <summary>The device of <paramref name="role"/> in the body (2-legged), or only in the token (3-legged).</summary>
    public void UseDevice(string role)
    {
        if (Token is TokenKind.ThreeLegged || DeviceInToken)
        {
            if (Body is JsonObject o)
            {
                o.Remove("device");
            }
            return;
        }
        RequireBody()["device"] = Device(role);
    }
}

/// <summary>A scenario needs an asset the deployment does not offer.</summary>
public sealed class NotApplicableException(string reason) : Exception(reason);

/// <summary>An expectation of a step that the provider's answer did not meet.</summary>
public sealed class StepFailedException(string message) : Exception(message);
