using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// The embedded server's ES256 key (RFC 7518 §3.4): generated at start, or kept as PEM at
/// <c>Auth:SigningKeyPath</c> so tokens survive a restart and instances sharing the file agree.
/// </summary>
public sealed class SigningKey : IDisposable
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private readonly ECDsa _ecdsa;

    public SigningKey(IOptions<AuthOptions> options)
    {
        _ecdsa = Load(options.Value.SigningKeyPath);
        var key = new ECDsaSecurityKey(_ecdsa);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
        // RFC 7638 thumbprint: a stable kid for the same key material.
        key.KeyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        SecurityKey = key;
        Credentials = new SigningCredentials(key, Algorithm);
        PublicJwk = new JwkDocument("EC", "sig", Algorithm, key.KeyId, jwk.Crv, jwk.X, jwk.Y);
    }

    public SecurityKey SecurityKey { get; }
    public SigningCredentials Credentials { get; }

    /// <summary>The public half only (RFC 7517), for <c>/.well-known/jwks.json</c>.</summary>
    public JwkDocument PublicJwk { get; }

    private static ECDsa Load(string? path)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (string.IsNullOrWhiteSpace(path))
        {
            return ecdsa;
        }
        if (File.Exists(path))
        {
            try
            {
                ecdsa.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"Auth:SigningKeyPath '{path}' does not hold a PEM EC P-256 private key.", e);
            }
            return ecdsa;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        // Owner-only: this is the key every token's trust rests on.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, options);
        writer.Write(ecdsa.ExportECPrivateKeyPem());
        return ecdsa;
    }

    public void Dispose() => _ecdsa.Dispose();
}
