using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CamaraQos.Conformance.Steps;

/// <summary>Builds and sends the scenario's request, and creates the resources scenarios start from.</summary>
public static partial class Sender
{
    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Placeholder();

    public static async Task<Exchange> SendAsync(ScenarioContext c, string? method, string? operationId)
    {
        foreach (var (name, make) in c.Prerequisites.ToList())
        {
            c.Prerequisites.Remove(name);
            await make(c);
        }
        var resource = c.Resource;
        (string Method, string Path)? op = operationId is null ? null
            : c.Spec.Operation(operationId) ?? throw new InvalidOperationException($"{c.Spec.File} has no operation {operationId}.");
        if (op is { } known)
        {
            // The operation names its path; the background's resource may be only the API's base ("/application-profiles/v0.5").
            resource = c.BasePath + known.Path;
            method ??= known.Method;
        }
        if (c.Token is TokenKind.WithoutScope { Scope: "" })
        {
            // "a valid access token without required scope": the scopes of the operation about to be sent.
            c.Token = new TokenKind.WithoutScope(c.Spec.OperationScopes(operationId ?? c.Spec.OperationAt(resource[c.BasePath.Length..], method!)).FirstOrDefault() ?? "");
        }
        foreach (Match m in Placeholder().Matches(resource))
        {
            var name = m.Groups[1].Value;
            if (!c.PathParameters.ContainsKey(name))
            {
                c.PathParameters[name] = c.DeferredParameters.TryGetValue(name, out var make)
                    ? await make(c)
                    : throw new InvalidOperationException($"No value for path parameter {name}.");
            }
        }
        if (c.Body is not null)
        {
            await ResolvePlaceholdersAsync(c, c.Body);
            FillFromPath(c.Body, c.PathParameters);
        }
        var path = Placeholder().Replace(resource, m => Uri.EscapeDataString(c.PathParameters[m.Groups[1].Value]));
        if (c.Sink is not null && c.SinkAddress is not null)
        {
            c.EventMark = c.Sink.At(c.SinkAddress).Count;
        }
        if (c.Body is JsonObject b && b.ContainsKey("sinkCredential") && !b.ContainsKey("sink"))
        {
            // "Any value compliant with the schema" for the rest of the body: a credential comes with a sink.
            b["sink"] = c.Sink is not null ? c.NewSinkAddress() : "https://sink.invalid/events";
        }
        var body = c.RawBody ?? (c.BodyIncluded ? (c.Body?.ToJsonString() ?? "null") : null);
        var exchange = await SendRawAsync(c, method ?? throw new InvalidOperationException("No method for the request."), Url(c, path), body, c.Token, c.Headers);
        c.Last = exchange;
        if (Track(c, exchange))
        {
            c.Created ??= exchange;
        }
        return exchange;
    }

    /// <summary>
    /// Placeholders of a body that are no path parameter: <c>{sink}</c> (a fresh sink address) and the
    /// profile's dependencies (created now through their own API).
    /// </summary>
    private static async Task ResolvePlaceholdersAsync(ScenarioContext c, JsonNode body)
    {
        foreach (var name in Placeholders(body).Distinct().Where(n => !c.PathParameters.ContainsKey(n)).ToList())
        {
            if (name == "sink")
            {
                c.PathParameters[name] = c.Sink is not null ? c.SinkAddress ?? c.NewSinkAddress() : "https://sink.invalid/events";
            }
            else if (c.Api.Dependencies.TryGetValue(name, out var dependency))
            {
                var variant = c.Variants.GetValueOrDefault(name, "default");
                var e = await SendRawAsync(c, "POST", Url(c, dependency.Resource), dependency.Bodies[variant].ToJsonString(), new TokenKind.TwoLegged(), new Dictionary<string, string?>());
                var id = (string?)e.ResponseBody?[name] ?? throw new StepFailedException($"Setup: creating {name} at {dependency.Resource} answered {e.Status}: {e.ResponseText}");
                c.CleanupPaths.Add(dependency.Resource + "/" + id);
                c.PathParameters[name] = id;
            }
        }
    }

    private static IEnumerable<string> Placeholders(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Placeholders(p.Value)),
        JsonArray a => a.SelectMany(i => i is null ? [] : Placeholders(i)),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 2 && s[0] == '{' && s[^1] == '}' => [s[1..^1]],
        _ => [],
    };

    /// <summary>A body string "{name}" (profile bodies) is the path parameter's value: PATCH bodies repeat the resource's id.</summary>
    private static void FillFromPath(JsonNode node, Dictionary<string, string> parameters)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith('{') && s.EndsWith('}') && parameters.TryGetValue(s[1..^1], out var p))
                    {
                        o[key] = p;
                    }
                    else if (value is not null)
                    {
                        FillFromPath(value, parameters);
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        FillFromPath(item, parameters);
                    }
                }
                break;
        }
    }

    public static string Url(ScenarioContext c, string path) =>
        c.Deployment.ApiRoot.TrimEnd('/') + "/" + path.TrimStart('/');

    public static async Task<Exchange> SendRawAsync(ScenarioContext c, string method, string url, string? body, TokenKind token,
        IReadOnlyDictionary<string, string?> headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        var sent = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (await c.Tokens.ResolveAsync(token, c.Api) is { } t)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", t);
            sent["Authorization"] = "Bearer " + t;
        }
        var contentType = "application/json";
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value ?? contentType;
                continue;
            }
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
                sent[name] = value;
            }
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            sent["Content-Type"] = contentType;
        }
        using var response = await c.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var responseHeaders = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the steps that read properties then fail saying so.
        }
        return new Exchange(method, url, body is null ? null : SafeParse(body), sent, (int)response.StatusCode, responseHeaders, text, json);
    }

    private static JsonNode? SafeParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A created resource is removed when the scenario ends (profile's cleanup rules).</summary>
    private static bool Track(ScenarioContext c, Exchange e)
    {
        if (e.Status is not (200 or 201 or 202) || e.Method != "POST" || e.ResponseBody is not JsonObject o)
        {
            return false;
        }
        var tracked = false;
        foreach (var rule in c.Api.Cleanup)
        {
            if ((string?)o[rule.IdProperty] is { } id && !(e.RequestBody is JsonObject rb && rb.ContainsKey(rule.IdProperty)))
            {
                c.CleanupPaths.Add(rule.Resource.Replace("{" + rule.IdProperty + "}", Uri.EscapeDataString(id), StringComparison.Ordinal));
                tracked = true;
            }
        }
        return tracked;
    }

    /// <summary>
    /// Creates a resource with the profile's default body for <paramref name="operationId"/> (2-legged
    /// token, the testing device), expecting 200/201; the scenario then refers to it ("that QoS session").
    /// </summary>
    public static async Task<Exchange> CreateAsync(ScenarioContext c, string operationId, Action<JsonObject>? adjust = null)
    {
        var op = c.Spec.Operation(operationId) ?? throw new InvalidOperationException($"{c.Spec.File} has no operation {operationId}.");
        var body = c.DefaultBody(operationId);
        adjust?.Invoke(body);
        await ResolvePlaceholdersAsync(c, body);
        FillFromPath(body, c.PathParameters);
        var headers = new Dictionary<string, string?> { ["x-correlator"] = Guid.NewGuid().ToString() };
        var e = await SendRawAsync(c, op.Method, Url(c, c.BasePath + op.Path), body.ToJsonString(), new TokenKind.TwoLegged(), headers);
        if (e.Status is not (200 or 201))
        {
            throw new StepFailedException($"Setup: {operationId} answered {e.Status}: {e.ResponseText}");
        }
        Track(c, e);
        c.Created = e;
        return e;
    }
}
