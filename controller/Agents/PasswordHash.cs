using System.Security.Cryptography;
using System.Text;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// Salted PBKDF2 (RFC 8018 §5.2) for agent MQTT passwords, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64) so the cost can rise without a migration.
/// </summary>
public static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";
    // Agent passwords are machine-generated secrets, not human ones; 20k rounds keeps a 1,000-agent
    // reconnect storm affordable on a small controller while a leaked table still costs real work.
    private const int Iterations = 20_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iter, var saltText, var hashText] || !int.TryParse(iter, out var iterations) || iterations < 1)
        {
            return false;
        }
        try
        {
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltText), iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
