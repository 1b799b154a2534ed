using System.Text.Json.Nodes;
using CamaraQos.Controller.Camara;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>What a contract check needs from one exchange (a buffered response and the request's correlator).</summary>
public sealed record ResponseSnapshot(int Status, string? MediaType, string Body, string? RequestCorrelator, string? ResponseCorrelator)
{
    public static async Task<ResponseSnapshot> FromAsync(HttpResponseMessage response)
    {
        await response.Content.LoadIntoBufferAsync();
        return From(response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Reads a buffered body synchronously (it can still be read again afterwards).</summary>
    public static ResponseSnapshot From(HttpResponseMessage response) =>
        From(response, new StreamReader(response.Content.ReadAsStream()).ReadToEnd());

    private static ResponseSnapshot From(HttpResponseMessage response, string body) => new(
        (int)response.StatusCode,
        response.Content.Headers.ContentType?.MediaType,
        body,
        response.RequestMessage?.Headers.TryGetValues(Correlator.Header, out var sent) == true ? sent.First() : null,
        response.Headers.TryGetValues(Correlator.Header, out var echoed) ? echoed.First() : null);
}

/// <summary>
/// Checks one response against a CAMARA spec: the status is documented for the operation (or its
/// <c>default</c>; 405/406/415 fall back to CAMARA_common's generic responses, which every API
/// inherits), the body is <c>application/json</c> (never <c>application/problem+json</c>) and valid
/// against the documented schema (allOf with the status/code enums included), and <c>x-correlator</c> is
/// echoed when the request sent one.
/// </summary>
public static class ContractCheck
{
    /// <summary>Statuses CAMARA_common defines that the APIs leave out of their own lists.</summary>
    private static readonly int[] CommonalitiesFallback = [405, 406, 415];

    public static void AssertMatchesSpec(string specFile, string method, string pathTemplate, HttpResponseMessage response) =>
        Report(specFile, method, pathTemplate, Violations(specFile, method, pathTemplate, ResponseSnapshot.From(response)));

    public static async Task AssertMatchesSpecAsync(string specFile, string method, string pathTemplate, HttpResponseMessage response) =>
        Report(specFile, method, pathTemplate, Violations(specFile, method, pathTemplate, await ResponseSnapshot.FromAsync(response)));

    /// <summary>Asserts the body is the CAMARA error with this status and code.</summary>
    public static async Task AssertCamaraErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, body?["status"]?.GetValue<int>());
        Assert.Equal(code, body?["code"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body?["message"]?.GetValue<string>()), "message must be a user friendly text");
    }

    public static List<string> Violations(string specFile, string method, string pathTemplate, ResponseSnapshot r)
    {
        var violations = Common(r);
        var spec = CamaraSpec.Load(specFile);
        if (spec.Operation(method, pathTemplate) is not { } operation)
        {
            violations.Add($"{specFile} has no operation {method} {pathTemplate}.");
            return violations;
        }
        var documented = spec.Response(operation, r.Status);
        if (documented is null && CommonalitiesFallback.Contains(r.Status))
        {
            documented = Generic(r.Status);
            spec = CamaraSpec.Load(SpecFiles.Commonalities);
        }
        if (documented is not { } found)
        {
            violations.Add($"status {r.Status} is not documented for {method} {pathTemplate} (documented: {string.Join(", ", spec.DocumentedStatuses(operation))}).");
            return violations;
        }
        violations.AddRange(Body(spec, $"{method} {pathTemplate} {found.Key}", found.Response, r));
        return violations;
    }

    /// <summary>A response on a CAMARA base path that no operation documents (unknown route, wrong method).</summary>
    public static List<string> UndocumentedErrorViolations(ResponseSnapshot r)
    {
        var violations = Common(r);
        if (r.Status < 400)
        {
            violations.Add($"status {r.Status} on a path/method the spec does not define.");
            return violations;
        }
        var commonalities = CamaraSpec.Load(SpecFiles.Commonalities);
        var errorInfo = new JsonObject { ["$ref"] = "#/components/schemas/ErrorInfo" };
        violations.AddRange(Body(commonalities, "ErrorInfo", new JsonObject
        {
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = errorInfo } },
        }, r));
        return violations;
    }

    private static List<string> Common(ResponseSnapshot r)
    {
        var violations = new List<string>();
        if (r.MediaType == "application/problem+json")
        {
            violations.Add("content type is application/problem+json; CAMARA errors are application/json ErrorInfo.");
        }
        // An invalid x-correlator is rejected (400) and cannot be echoed; a valid one always is.
        if (r.RequestCorrelator is not null && Correlator.IsValid(r.RequestCorrelator) && r.ResponseCorrelator != r.RequestCorrelator)
        {
            violations.Add($"x-correlator '{r.RequestCorrelator}' was not echoed (got '{r.ResponseCorrelator}').");
        }
        return violations;
    }

    private static (string Key, JsonObject Response) Generic(int status)
    {
        var common = CamaraSpec.Load(SpecFiles.Commonalities);
        var response = common.Document["components"]?["responses"]?[$"Generic{status}"]
            ?? throw new InvalidOperationException($"CAMARA_common has no Generic{status}.");
        return ($"CAMARA_common Generic{status}", (JsonObject)common.Resolve(response));
    }

    private static IEnumerable<string> Body(CamaraSpec spec, string key, JsonObject response, ResponseSnapshot r)
    {
        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            return r.Body.Length == 0 ? [] : [$"{key} documents no body, got {r.MediaType}: {Shorten(r.Body)}"];
        }
        if (r.MediaType is null || !content.ContainsKey(r.MediaType))
        {
            return [$"{key} documents {string.Join(", ", content.Select(c => c.Key))}, got content type '{r.MediaType}'."];
        }
        if (content[r.MediaType]?["schema"] is not { } schema)
        {
            return [];
        }
        var errors = spec.Schema($"{key} {r.MediaType}", schema).Validate(r.Body);
        return errors.Select(e => $"{key}: body does not match the schema at {e.Path}: {e.Kind} ({Shorten(r.Body)})");
    }

    private static void Report(string specFile, string method, string pathTemplate, List<string> violations)
    {
        if (violations.Count > 0)
        {
            Assert.Fail($"{method} {pathTemplate} breaks {specFile}:\n  " + string.Join("\n  ", violations));
        }
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
