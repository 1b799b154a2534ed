using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace CamaraQos.Controller.Tests.Contract.Hostile;

/// <summary>Who sends a generated request: the identities the fixture holds tokens for.</summary>
public enum Sender
{
    Anonymous,
    TwoLegged,
    ThreeLegged,
    Admin,
}

/// <summary>One generated request and what was made wrong in it (shown when it is answered wrongly).</summary>
public sealed record HostileRequest(string Method, string Path, string? Body, string? ContentType, string What, Sender Sender,
    IReadOnlyList<(string Name, string Value)> Headers)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Body.Length > 300 ? Body[..300] + $"… ({Body.Length} chars)" : Body;
        return $"[{What}] {Method} {(Path.Length > 200 ? Path[..200] + "…" : Path)} as {Sender} ({ContentType ?? "no content type"}) {body}";
    }
}

/// <summary>A field of a valid request body (a dotted JSON path) and the values that make it invalid.</summary>
public sealed record Hole(string Path, Gen<string> Bad);

/// <summary>
/// An operation with a valid request as its template: each generated request breaks it in exactly one way
/// (a field given a bad value, a required field dropped, the body, media type or size made wrong, a bad
/// id in the path), so every one is invalid by construction.
/// </summary>
public sealed record Operation(string Method, string Path, string? Body, Sender Sender, IReadOnlyList<Hole> Holes, IReadOnlyList<string> Required, Gen<string>? BadIds = null)
{
    /// <summary>Where the path has an id, the template holds this placeholder; bad ids replace it.</summary>
    public const string Id = "{id}";

    public Gen<HostileRequest> Generator()
    {
        var gens = new List<(int, Gen<HostileRequest>)>();
        if (Body is not null && Holes.Count > 0)
        {
            gens.Add((8, Gen.Elements(Holes.ToArray()).SelectMany(h => h.Bad.Select(v => Json(Set(Body, h.Path, v), $"{h.Path} = {Short(v)}")))));
        }
        if (Body is not null && Required.Count > 0)
        {
            gens.Add((1, Gen.Elements(Required.ToArray()).Select(p => Json(Remove(Body, p), $"without {p}"))));
        }
        if (Body is not null)
        {
            gens.Add((1, Gen.Elements(MalformedBodies).Select(b => Json(b, "malformed body"))));
            gens.Add((1, Gen.Elements(WrongMediaTypes).Select(ct => this.Request(WithId(), Body, ct, $"content type {ct}"))));
            gens.Add((1, Gen.Choose(65 * 1024, 80 * 1024).Select(n => Json(Body[..^1] + $",\"padding\":\"{new string('x', n)}\"}}", $"{n} byte body"))));
        }
        if (Path.Contains(Id, StringComparison.Ordinal))
        {
            gens.Add((4, (BadIds ?? BadValues.UuidText).Select(id => this.Request(Path.Replace(Id, id, StringComparison.Ordinal), Body, Body is null ? null : "application/json", $"id {id}"))));
        }
        gens.Add((1, Gen.Choose(4200, 7000).Select(n => this.Request(WithId() + "?q=" + new string('q', n), Body, Body is null ? null : "application/json", $"{n} character query"))));
        gens.Add((1, Gen.Choose(17 * 1024, 30 * 1024).Select(n => this.Request(WithId(), Body, Body is null ? null : "application/json", $"{n} byte header") with
        {
            Headers = [("x-hostile", new string('h', n))],
        })));
        return Gen.Frequency(gens);
    }

    /// <summary>A canonical UUID no resource has, where the template needs an id.</summary>
    private string WithId() => Path.Replace(Id, Guid.NewGuid().ToString(), StringComparison.Ordinal);

    private HostileRequest Json(string body, string what) => this.Request(WithId(), body, "application/json", what);

    private HostileRequest Request(string path, string? body, string? contentType, string what) =>
        new(Method, path, body, contentType, what, Sender, []);

    private static string Short(string value) => value.Length > 60 ? value[..60] + "…" : value;

    public static readonly string[] MalformedBodies =
    [
        "", "{", "}", "[]", "null", "\"x\"", "42", "{\"a\":}", "{\"device\":", "{'device': {}}", "{\"device\": {\"phoneNumber\": \"+34600000001\"},}",
        new string('[', 200) + new string(']', 200), "{\"device\":" + new string('[', 100) + new string(']', 100) + "}",
        "{\"duration\": NaN}", "{\"duration\": 0x10}", "\u0000",
    ];

    public static readonly string[] WrongMediaTypes =
    [
        "text/plain", "application/json; charset=latin1", "application/json; charset=x-unknown", "application/json; charset=\"utf-16\"",
        "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/problem+json; charset=ebcdic",
    ];

    private static string Set(string body, string path, string rawValue)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = JsonNode.Parse(rawValue);
        return root.ToJsonString();
    }

    private static string Remove(string body, string path)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }
        node.Remove(parts[^1]);
        return root.ToJsonString();
    }
}

/// <summary>A form-encoded OAuth request (token, CIBA) built from fields, for the /oauth2 endpoints.</summary>
public static class OAuthForm
{
    public static string Encode(IEnumerable<(string Key, string Value)> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static string Basic(string id, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}"));
}
