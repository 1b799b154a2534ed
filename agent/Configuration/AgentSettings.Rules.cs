using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace CamaraQos.Agent.Configuration;

/// <summary>One rule per kind of value; an empty value is an absent one (environment variables cannot unset).</summary>
public sealed partial record AgentSettings
{
    // IFNAMSIZ is 16 including the NUL (linux/if.h); names are rendered into nft and tc, so no quotes,
    // spaces, '/' or ':' (netdevice(7)). The stricter of the two rules the agent had.
    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,15}$")]
    private static partial Regex InterfaceName();

    private static string Required(IConfiguration config, string key) =>
        config[key] is { } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new AgentConfigurationException(key, "is required");

    private static string Interface(string key, string name) =>
        InterfaceName().IsMatch(name)
            ? name
            : throw new AgentConfigurationException(key, $"'{name}' is not an interface name (1-15 of A-Z a-z 0-9 _ . @ -)");

    private static string[] LanInterfaceList(IConfiguration config, string wan)
    {
        const string key = "Agent:LanInterfaces";
        var lans = Required(config, key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lans.Length == 0)
        {
            throw new AgentConfigurationException(key, "name one or more LAN interfaces, comma-separated");
        }
        foreach (var lan in lans)
        {
            Interface(key, lan);
        }
        // A name twice would put two HTB roots on one device; the WAN is shaped by its own tree.
        if (lans.Contains(wan) || lans.Distinct(StringComparer.Ordinal).Count() != lans.Length)
        {
            throw new AgentConfigurationException(key, "name each LAN interface once, and not the WAN interface");
        }
        return lans;
    }

    private static string Directory(IConfiguration config, string key) => config[key] switch
    {
        null or "" => DefaultStateDirectory,
        var raw when string.IsNullOrWhiteSpace(raw) => throw new AgentConfigurationException(key, "must not be blank"),
        var raw => raw.Trim(),
    };

    internal static int Int(IConfiguration config, string key, int? fallback, int min, int max)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback ?? throw new AgentConfigurationException(key, "is required");
        }
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AgentConfigurationException(key, $"'{raw}' is not a whole number from {min} to {max}");
    }

    internal static double Double(IConfiguration config, string key, double fallback, double min, double max)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AgentConfigurationException(key, $"'{raw}' is not a number from {min} to {max}");
    }

    internal static bool Bool(IConfiguration config, string key, bool fallback) => config[key] switch
    {
        null or "" => fallback,
        var raw when bool.TryParse(raw, out var value) => value,
        var raw => throw new AgentConfigurationException(key, $"'{raw}' is not true or false"),
    };
}
