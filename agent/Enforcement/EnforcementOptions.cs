using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Where and how much the agent shapes (docs/ARCHITECTURE.md §8, section <c>Agent</c>). Bound by hand, not by the
/// reflection binder, so the agent stays NativeAOT-clean and a bad value names its key.
/// </summary>
public sealed class EnforcementOptions
{
    public const string Section = "Agent";

    public string WanInterface { get; set; } = "";
    public string[] LanInterfaces { get; set; } = [];
    public int UplinkKbps { get; set; }
    public int DownlinkKbps { get; set; }
    public string StateDirectory { get; set; } = "/var/lib/camaraqos";
    public int MaxDocumentBytes { get; set; } = 1_048_576;
    public int MaxPolicies { get; set; } = 4096;

    /// <summary>Values that did not parse, reported by the validator with their key.</summary>
    internal List<string> BindErrors { get; } = [];

    internal static void Bind(IConfiguration config, EnforcementOptions o)
    {
        var s = config.GetSection(Section);
        o.WanInterface = s["WanInterface"]?.Trim() ?? o.WanInterface;
        if (s["LanInterfaces"] is { } lans)
        {
            o.LanInterfaces = lans.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        o.UplinkKbps = Int(s, "UplinkKbps", o.UplinkKbps, o.BindErrors);
        o.DownlinkKbps = Int(s, "DownlinkKbps", o.DownlinkKbps, o.BindErrors);
        o.StateDirectory = s["StateDirectory"] is { Length: > 0 } dir ? dir : o.StateDirectory;
        o.MaxDocumentBytes = Int(s, "MaxDocumentBytes", o.MaxDocumentBytes, o.BindErrors);
        o.MaxPolicies = Int(s, "MaxPolicies", o.MaxPolicies, o.BindErrors);
    }

    private static int Int(IConfigurationSection s, string key, int fallback, List<string> errors)
    {
        var raw = s[key];
        if (raw is null)
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }
        errors.Add($"{Section}:{key} must be an integer (got '{raw}').");
        return fallback;
    }
}

/// <summary>Fails the start with a message naming the key (docs/CONVENTIONS.md: ValidateOnStart).</summary>
internal sealed partial class EnforcementOptionsValidator : IValidateOptions<EnforcementOptions>
{
    // IFNAMSIZ is 16 including the NUL (linux/if.h); names are rendered into nft and tc, so no quotes or spaces.
    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,15}$")]
    internal static partial Regex InterfaceName();

    public ValidateOptionsResult Validate(string? name, EnforcementOptions o)
    {
        var errors = new List<string>(o.BindErrors);
        if (!InterfaceName().IsMatch(o.WanInterface))
        {
            errors.Add($"Agent:WanInterface must be an interface name (got '{o.WanInterface}').");
        }
        if (o.LanInterfaces.Length == 0)
        {
            errors.Add("Agent:LanInterfaces must name at least one interface (comma-separated).");
        }
        foreach (var lan in o.LanInterfaces)
        {
            if (!InterfaceName().IsMatch(lan) || lan == o.WanInterface)
            {
                errors.Add($"Agent:LanInterfaces has an invalid interface '{lan}'.");
            }
        }
        Positive(errors, "UplinkKbps", o.UplinkKbps);
        Positive(errors, "DownlinkKbps", o.DownlinkKbps);
        Positive(errors, "MaxDocumentBytes", o.MaxDocumentBytes);
        Positive(errors, "MaxPolicies", o.MaxPolicies);
        if (string.IsNullOrWhiteSpace(o.StateDirectory))
        {
            errors.Add("Agent:StateDirectory must not be empty.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value <= 0)
        {
            errors.Add($"Agent:{key} must be a positive integer (got {value}).");
        }
    }
}
