using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace CamaraQos.Conformance.Http;

/// <summary>
/// Access tokens from the deployment's authorization server: client_credentials for 2-legged tokens
/// (optionally narrowed to some scopes), CIBA (poll mode) for 3-legged ones. Tokens are cached per kind.
/// An expired token is the profile's literal one unless <see cref="MintExpired"/> can make one (in-process).
/// </summary>
public class TokenSource(HttpClient http, AuthProfile auth)
{
    private readonly ConcurrentDictionary<string, string> _cache = new();

    /// <summary>Set by a host that can sign an expired token with the provider's own key (the in-process tests).</summary>
    public Func<Task<string>>? MintExpired { get; init; }

    public bool CanIssueExpired => MintExpired is not null || auth.ExpiredToken is not null;

    public bool CanIssueThreeLegged => auth.CibaUrl is not null;

    public bool HasOtherClient => auth.OtherClient is not null;

    public async Task<string?> ResolveAsync(TokenKind kind, ApiProfile api) => kind switch
    {
        TokenKind.None => null,
        TokenKind.Literal l => l.Value,
        TokenKind.Invalid => "invalid-" + Guid.NewGuid().ToString("N"),
        TokenKind.Expired => MintExpired is not null ? await MintExpired() : auth.ExpiredToken
            ?? throw new NotApplicableException("the profile offers no expired access token"),
        TokenKind.TwoLegged => await ClientCredentialsAsync(auth.Client, null),
        TokenKind.OtherClient => await ClientCredentialsAsync(auth.OtherClient
            ?? throw new NotApplicableException("the profile offers no second API client"), null),
        TokenKind.WithoutScope w => await ClientCredentialsAsync(auth.Client, string.Join(' ', OtherScopes(api, w.Scope))),
        TokenKind.ThreeLegged t => await CibaAsync(api.LoginHints.TryGetValue(t.DeviceRole, out var hint) ? hint
            : throw new NotApplicableException($"the profile offers no login hint for the '{t.DeviceRole}' device")),
        _ => throw new InvalidOperationException($"Unknown token kind {kind}."),
    };

    /// <summary>A token for a scope set without <paramref name="scope"/>: the API's other scopes, or the profile's scope of another API.</summary>
    private IEnumerable<string> OtherScopes(ApiProfile api, string scope)
    {
        var others = api.Scopes.Where(s => s != scope).ToList();
        return others.Count > 0 ? others : [auth.UnrelatedScope ?? throw new InvalidOperationException("The profile's auth.unrelatedScope is needed for an API with one scope.")];
    }

    private async Task<string> ClientCredentialsAsync(ClientProfile client, string? scope)
    {
        var key = $"cc|{client.Id}|{scope}";
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = client.Id, ["client_secret"] = client.Secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return _cache[key] = await TokenAsync(auth.TokenUrl, form);
    }

    private async Task<string> CibaAsync(string loginHint)
    {
        var key = "ciba|" + loginHint;
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var client = auth.Client;
        using var start = await http.PostAsync(auth.CibaUrl!, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = client.Id,
            ["client_secret"] = client.Secret,
            ["login_hint"] = loginHint,
            ["scope"] = "openid",
        }));
        var started = JsonNode.Parse(await start.Content.ReadAsStringAsync());
        var id = (string?)started?["auth_req_id"] ?? throw new InvalidOperationException($"CIBA at {auth.CibaUrl} answered {(int)start.StatusCode} without auth_req_id.");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:openid:params:grant-type:ciba",
            ["auth_req_id"] = id,
            ["client_id"] = client.Id,
            ["client_secret"] = client.Secret,
        };
        // Poll mode: the provider may ask to wait (authorization_pending) until the user approves.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await http.PostAsync(auth.TokenUrl, new FormUrlEncodedContent(form));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            if ((string?)body?["access_token"] is { } token)
            {
                return _cache[key] = token;
            }
            if ((string?)body?["error"] is not ("authorization_pending" or "slow_down") || DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException($"CIBA token for {loginHint}: {(int)response.StatusCode} {body?.ToJsonString()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, (int?)started?["interval"] ?? 1)));
        }
    }

    private async Task<string> TokenAsync(string url, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(url, new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        return (string?)JsonNode.Parse(text)?["access_token"]
            ?? throw new InvalidOperationException($"Token endpoint {url} answered {(int)response.StatusCode}: {text}");
    }
}
