using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Sandbox;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

/// <summary>The <c>Auth</c> section (docs/ARCHITECTURE.md §8).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>An external OpenID provider; empty means the embedded authorization server.</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> tokens must carry; the embedded server defaults it to its issuer.</summary>
    public string? Audience { get; set; }

    /// <summary>The embedded server's <c>iss</c>; when an absolute URL it is also the base of its endpoints.</summary>
    public string Issuer { get; set; } = "camaraqos";

    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>How long a CIBA request waits for approval (CIBA Core §7.3 <c>expires_in</c>).</summary>
    public int CibaRequestLifetimeSeconds { get; set; } = 300;

    /// <summary>Unexpired CIBA requests one client may hold; bc-authorize beyond it is 429 (issue 14: one client filled the table for all).</summary>
    public int CibaMaxOutstandingPerClient { get; set; } = 100;

    /// <summary>
    /// A PEM signing key of an earlier release, imported into the database's key ring when the ring is empty
    /// (so its tokens stay valid across the upgrade); not read once the ring exists.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>How often a new signing key is added to the ring (0 = never); the previous ones stay valid at least this long.</summary>
    public int SigningKeyRotationDays { get; set; } = 30;

    /// <summary>How often each controller re-reads the key ring; a new key signs after two of these.</summary>
    public int SigningKeyRefreshSeconds { get; set; } = 60;

    public List<AuthClientOptions> Clients { get; set; } = [];

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Authority);

    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? Issuer : Audience;
}

/// <summary>One API client of the embedded server: <c>Auth:Clients:N:*</c>.</summary>
public sealed class AuthClientOptions
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>Space-separated, as in the OAuth <c>scope</c> parameter (RFC 6749 §3.3).</summary>
    public string Scopes { get; set; } = "";
}

/// <summary>
/// Fails the start with a message naming the offending key. Outside the sandbox it also refuses what would
/// make a production deployment guessable: sample or well-known client secrets, short ones, and an external
/// provider's tokens accepted for any audience.
/// </summary>
public sealed class AuthOptionsValidator(IOptions<SandboxOptions> sandbox) : IValidateOptions<AuthOptions>
{
    /// <summary>128 bits of base64 are 22 characters; 32 leaves room for weaker alphabets (hex, words).</summary>
    public const int MinimumSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (!options.IsEmbedded && !IsHttpUrl(options.Authority!))
        {
            errors.Add("Auth:Authority must be an absolute http(s) URL or empty.");
        }
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add("Auth:Issuer must not be empty.");
        }
        if (options.TokenLifetimeSeconds is < 1 or > 86400)
        {
            errors.Add("Auth:TokenLifetimeSeconds must be between 1 and 86400.");
        }
        if (options.SigningKeyRotationDays is < 0 or > 3650)
        {
            errors.Add("Auth:SigningKeyRotationDays must be between 0 (never) and 3650.");
        }
        if (options.SigningKeyRefreshSeconds is < 1 or > 3600)
        {
            errors.Add("Auth:SigningKeyRefreshSeconds must be between 1 and 3600.");
        }
        if (options.CibaRequestLifetimeSeconds is < 1 or > 3600)
        {
            errors.Add("Auth:CibaRequestLifetimeSeconds must be between 1 and 3600.");
        }
        if (options.CibaMaxOutstandingPerClient is < 1 or > CibaRequests.MaxOutstanding)
        {
            errors.Add($"Auth:CibaMaxOutstandingPerClient must be between 1 and {CibaRequests.MaxOutstanding}.");
        }
        for (var i = 0; i < options.Clients.Count; i++)
        {
            ValidateClient(options.Clients, i, errors);
        }
        if (!sandbox.Value.Enabled)
        {
            ValidateProduction(options, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateClient(List<AuthClientOptions> clients, int i, List<string> errors)
    {
        var client = clients[i];
        if (string.IsNullOrWhiteSpace(client.ClientId))
        {
            errors.Add($"Auth:Clients:{i}:ClientId must not be empty.");
        }
        else if (clients.FindIndex(c => c.ClientId == client.ClientId) != i)
        {
            errors.Add($"Auth:Clients:{i}:ClientId '{client.ClientId}' is configured twice.");
        }
        if (string.IsNullOrEmpty(client.ClientSecret))
        {
            errors.Add($"Auth:Clients:{i}:ClientSecret must not be empty.");
        }
        var unknown = ScopeGrant.Parse(client.Scopes).Where(s => !ScopeGrant.IsKnown(s)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"Auth:Clients:{i}:Scopes has unknown scopes: {string.Join(' ', unknown)} (known: {string.Join(' ', Scopes.All)}).");
        }
    }

    private static void ValidateProduction(AuthOptions options, List<string> errors)
    {
        if (!options.IsEmbedded && string.IsNullOrWhiteSpace(options.Audience))
        {
            errors.Add("Auth:Audience must be set when Auth:Authority is (outside the sandbox): without it a token the provider issued for any other application would be accepted.");
        }
        var wellKnown = ClientRegistry.SandboxClients().Select(c => c.ClientSecret).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var secret = options.Clients[i].ClientSecret;
            if (string.IsNullOrEmpty(secret))
            {
                continue; // already reported
            }
            if (secret.Contains("CHANGE-ME", StringComparison.OrdinalIgnoreCase) || wellKnown.Contains(secret))
            {
                errors.Add($"Auth:Clients:{i}:ClientSecret is a sample or sandbox secret; set one of your own (at least {MinimumSecretLength} random characters) outside the sandbox.");
            }
            else if (secret.Length < MinimumSecretLength)
            {
                errors.Add($"Auth:Clients:{i}:ClientSecret is too short to resist guessing: {secret.Length} characters, at least {MinimumSecretLength} are needed outside the sandbox.");
            }
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
