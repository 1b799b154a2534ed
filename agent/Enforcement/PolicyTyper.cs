using System.Net;
using System.Text.RegularExpressions;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>Turns wire policies into <see cref="TypedPolicy"/>, or says why one cannot be enforced.</summary>
internal static partial class PolicyTyper
{
    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex Mac();

    public static TypedPolicy Type(Policy p)
    {
        if (string.IsNullOrWhiteSpace(p.Id))
        {
            throw new PolicyException("policy without id");
        }
        var m = p.Match ?? throw new PolicyException($"policy {p.Id}: match missing");
        var device = Address(p.Id, "deviceIp", m.DeviceIp);
        var servers = MatchLists.Servers(p.Id, device, m.ServerIps, text => Network(p.Id, text));
        if (m.DeviceMac is { } mac && !Mac().IsMatch(mac))
        {
            throw new PolicyException($"policy {p.Id}: invalid deviceMac '{mac}'");
        }
        var devicePorts = MatchLists.Ports(p.Id, "devicePorts", m.DevicePorts);
        var serverPorts = MatchLists.Ports(p.Id, "serverPorts", m.ServerPorts);
        Check(Enum.IsDefined(m.Protocol), p.Id, $"unknown protocol {m.Protocol}");
        Check(Enum.IsDefined(p.Kind), p.Id, $"unknown kind {p.Kind}");
        Check(Enum.IsDefined(p.Class), p.Id, $"unknown class {p.Class}");
        Check(p.Directions is Directions.Upstream or Directions.Downstream or Directions.Both, p.Id, $"invalid directions {p.Directions}");
        Check(Dscp.IsValid(p.Dscp), p.Id, $"dscp {p.Dscp} outside 0-63");
        Check(p.WifiUserPriority is null or (>= 0 and <= 7), p.Id, $"wifiUserPriority {p.WifiUserPriority} outside 0-7");
        foreach (var rate in (int?[])[p.GuaranteedUpKbps, p.GuaranteedDownKbps, p.MaxUpKbps, p.MaxDownKbps])
        {
            Check(rate is null or >= 0, p.Id, $"negative rate {rate}");
        }
        return new TypedPolicy(p.Id, p.Kind, device, servers, devicePorts, serverPorts, m.Protocol, p.Directions, p.Dscp,
            p.Class, p.GuaranteedUpKbps ?? 0, p.GuaranteedDownKbps ?? 0, p.WifiUserPriority, p.NotAfter);
    }

    internal static void Check(bool ok, string id, string reason)
    {
        if (!ok)
        {
            throw new PolicyException($"policy {id}: {reason}");
        }
    }

    /// <summary>
    /// A literal address. IPv4 must be dotted-quad as written (IPAddress.TryParse also takes inet_aton forms
    /// such as "10" = 0.0.0.10); no zone ids.
    /// </summary>
    private static IPAddress Address(string id, string field, string? text) =>
        text is not null && !text.Contains('/') && !text.Contains('%') && IPAddress.TryParse(text, out var a)
            && (a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || a.ToString() == text)
            ? a
            : throw new PolicyException($"policy {id}: invalid {field} '{text}'");

    /// <summary>An address or CIDR prefix; host bits must be zero (RFC 4632 §3.1: a prefix names a network).</summary>
    private static IPNetwork Network(string id, string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var a = Address(id, "serverIp", slash < 0 ? text : text[..slash]);
        var bits = a.GetAddressBytes().Length * 8;
        if (slash < 0)
        {
            return new IPNetwork(a, bits);
        }
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix)
            || prefix > bits || !HostBitsZero(a.GetAddressBytes(), prefix))
        {
            throw new PolicyException($"policy {id}: invalid serverIp '{text}' (prefix length or host bits)");
        }
        return new IPNetwork(a, prefix);
    }

    private static bool HostBitsZero(byte[] bytes, int prefix)
    {
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }
        return true;
    }
}

internal sealed class PolicyException(string message) : Exception(message);
