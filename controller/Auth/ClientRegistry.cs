using System.Security.Cryptography;
using System.Text;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Sandbox;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

public sealed record ApiClient(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);

/// <summary>
/// The embedded server's API clients: <c>Auth:Clients</c>, plus the sandbox clients of
/// docs/ARCHITECTURE.md §8 while <c>Sandbox:Enabled</c> is on (a configured client of the same id wins).
/// </summary>
public sealed class ClientRegistry
{
    public const string SandboxClientId = "sandbox-client";

    private readonly Dictionary<string, ApiClient> _clients = new(StringComparer.Ordinal);

    public ClientRegistry(IOptions<AuthOptions> auth, IOptions<SandboxOptions> sandbox)
    {
        if (sandbox.Value.Enabled)
        {
            foreach (var client in SandboxClients())
            {
                _clients[client.ClientId] = client;
            }
        }
        foreach (var c in auth.Value.Clients)
        {
            _clients[c.ClientId] = new ApiClient(c.ClientId, c.ClientSecret, ScopeGrant.Parse(c.Scopes));
        }
    }

    public static IEnumerable<ApiClient> SandboxClients() =>
    [
        new(SandboxClientId, "sandbox-secret", Scopes.Camara),
        new("sandbox-client-2", "sandbox-secret-2", Scopes.Camara),
        new("sandbox-readonly", "sandbox-readonly-secret", Scopes.Read),
        new("sandbox-admin", "sandbox-admin-secret", [Scopes.Admin]),
    ];

    public ApiClient? Find(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>The client, if the secret matches; compared in constant time over hashes.</summary>
    public ApiClient? Authenticate(string clientId, string secret)
    {
        var client = Find(clientId);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(client?.ClientSecret ?? ""));
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return CryptographicOperations.FixedTimeEquals(expected, given) && client is not null ? client : null;
    }
}
