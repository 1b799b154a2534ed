using FsCheck;
using FsCheck.Fluent;

namespace CamaraQos.Controller.Tests.Contract.Hostile;

/// <summary>
/// Bad requests to the embedded authorization server: wrong client authentication with any grant, or right
/// authentication with a grant, scope, hint or id that is wrong. Never a right client with a right request.
/// </summary>
public static class OAuth
{
    private const string TokenPath = "/oauth2/token";
    private const string Backchannel = "/oauth2/bc-authorize";
    private const string Form = "application/x-www-form-urlencoded";

    /// <summary>Client authentication that fails: (Authorization header or null, extra form fields).</summary>
    private static Gen<(string? Header, (string, string)[] Fields, string What)> BadAuth => Gen.Elements<(string?, (string, string)[], string)>(
    [
        (OAuthForm.Basic("sandbox-client", "not-the-secret"), [], "wrong secret"),
        (OAuthForm.Basic("no-such-client", "sandbox-secret"), [], "unknown client"),
        (OAuthForm.Basic("sandbox-client\nfail: forged", "x"), [], "client id with a newline"),
        (OAuthForm.Basic(new string('c', 5000), "x"), [], "5000 character client id"),
        ("Basic !!!", [], "malformed basic"),
        ("Basic " + Convert.ToBase64String("no-colon"u8.ToArray()), [], "basic without a colon"),
        ("Bearer abc", [], "bearer scheme"),
        (null, [], "no client authentication"),
        (null, [("client_id", "sandbox-client")], "client id without secret"),
        (null, [("client_id", "sandbox-client"), ("client_secret", "")], "empty secret"),
        (OAuthForm.Basic("sandbox-client", "sandbox-secret"), [("client_id", "sandbox-client"), ("client_secret", "sandbox-secret")], "two authentication methods"),
    ]);

    private static (string, string)[] GoodAuthFields => [];

    private static string GoodAuth => OAuthForm.Basic("sandbox-client", "sandbox-secret");

    public static Gen<HostileRequest> Token() => Gen.Frequency(
        (3, BadAuth.SelectMany(auth => AnyTokenGrant.Select(g => Request(TokenPath, auth.Header, [.. auth.Fields, .. g.Fields], $"{auth.What}, {g.What}")))),
        (6, BadTokenGrant.Select(g => Request(TokenPath, GoodAuth, [.. GoodAuthFields, .. g.Fields], g.What))),
        (1, Gen.Elements(MediaTypes).Select(ct =>
            Request(TokenPath, GoodAuth, [("grant_type", "client_credentials")], $"content type {ct}") with { ContentType = ct })),
        (1, MalformedForm.Select(body => Request(TokenPath, GoodAuth, [], "malformed form") with { Body = body })));

    public static Gen<HostileRequest> Ciba() => Gen.Frequency(
        (3, BadAuth.SelectMany(auth => Gen.Elements(ValidCiba, [("login_hint", "tel:+34600000002"), ("scope", "openid")])
            .Select(f => Request(Backchannel, auth.Header, [.. auth.Fields, .. f], auth.What)))),
        (6, BadCiba.Select(c => Request(Backchannel, GoodAuth, c.Fields, c.What))),
        (1, Gen.Elements(MediaTypes).Select(ct =>
            Request(Backchannel, GoodAuth, ValidCiba, $"content type {ct}") with { ContentType = ct })),
        (1, MalformedForm.Select(body => Request(Backchannel, GoodAuth, [], "malformed form") with { Body = body })),
        (1, BadValues.UuidText.Select(id => new HostileRequest("POST", $"{Backchannel}/{id}/approve", null, null, $"approve {id}", Sender.Admin, []))));

    /// <summary>Anything but plain form-urlencoded, and form-urlencoded in a charset no one has.</summary>
    private static readonly string[] MediaTypes =
        [.. Operation.WrongMediaTypes.Where(ct => ct != Form), "application/json", Form + "; charset=x-unknown", Form + "; charset=utf-16"];

    private static readonly (string, string)[] ValidCiba = [("login_hint", "tel:+34600000001"), ("scope", "openid")];

    private static Gen<((string, string)[] Fields, string What)> AnyTokenGrant => Gen.OneOf(
        Gen.Constant<((string, string)[], string)>(([("grant_type", "client_credentials")], "client_credentials")),
        BadTokenGrant);

    private static Gen<((string, string)[] Fields, string What)> BadTokenGrant => Gen.OneOf(
        Gen.Elements<((string, string)[], string)>(
        [
            ([("grant_type", "password")], "password grant"),
            ([("grant_type", new string('g', 20_000))], "20000 character grant_type"),
            ([("grant_type", "client_credentials"), ("grant_type", "client_credentials")], "grant_type twice"),
            ([], "no grant_type"),
            ([("grant_type", "")], "empty grant_type"),
            ([("grant_type", "client_credentials"), ("scope", "nope")], "unknown scope"),
            ([("grant_type", "client_credentials"), ("scope", "camaraqos:admin")], "scope the client lacks"),
            ([("grant_type", "urn:openid:params:grant-type:ciba")], "ciba without auth_req_id"),
            ([("grant_type", "urn:openid:params:grant-type:ciba"), ("auth_req_id", "")], "ciba with an empty auth_req_id"),
            ([("grant_type", "urn:openid:params:grant-type:ciba"), ("auth_req_id", new string('a', 20_000))], "ciba with a 20000 character auth_req_id"),
        ]),
        Gen.Constant(0).Select(_ => Guid.NewGuid().ToString("N")).Select(id =>
            (new (string, string)[] { ("grant_type", "urn:openid:params:grant-type:ciba"), ("auth_req_id", id) }, "unknown auth_req_id")),
        BadValues.Junk("grant").Select(j => (new (string, string)[] { ("grant_type", System.Text.Json.JsonSerializer.Deserialize<string>(j)!) }, "junk grant_type")));

    /// <summary>Login hints no subscriber has (the sandbox gateway's WAN is 198.51.100.1), and scopes the client may not have.</summary>
    private static Gen<((string, string)[] Fields, string What)> BadCiba => Gen.OneOf(
        Gen.Elements([
            "tel:123", "tel:+34 600000001", "tel:", "ipport:0x7f.0.0.1", "ipport:01.02.03.04", "ipport:198.51.100.01", "ipport:0306.51.100.1",
            "ipport:198.51.100.1:99999", "ipport:198.51.100.1:-1", "ipport:[198.51.100.1]:80", "ipport:", "nai:nobody", "nai:", "", " ",
            new string('h', 20_000), "tel:+34600000001\u0000",
        ]).Select(hint => (new (string, string)[] { ("login_hint", hint), ("scope", "openid") }, $"login_hint {(hint.Length > 40 ? hint[..40] : hint)}")),
        Gen.Elements<((string, string)[], string)>(
        [
            ([("scope", "openid")], "no login_hint"),
            ([("login_hint", "tel:+34600000001"), ("login_hint", "tel:+34600000001"), ("scope", "openid")], "login_hint twice"),
            ([("login_hint", "tel:+34600000001"), ("scope", "nope")], "unknown scope"),
            ([("login_hint", "tel:+34600000001"), ("scope", "openid camaraqos:admin")], "scope the client lacks"),
        ]));

    private static Gen<string> MalformedForm => Gen.Elements([
        "%zz=1", "grant_type=%", "=&=&=", "grant_type=client_credentials&" + new string('k', 70_000) + "=1", "\u0000",
    ]);

    private static HostileRequest Request(string path, string? authorization, IEnumerable<(string, string)> fields, string what) =>
        new("POST", path, OAuthForm.Encode(fields), Form, what, Sender.Anonymous,
            authorization is null ? [] : [("Authorization", authorization)]);
}
