using System.Net;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Server prefixes and port ranges, reduced to what one nft anonymous set can hold: nft refuses
/// overlapping intervals in a set ("conflicting intervals specified"), so overlaps are merged first.
/// </summary>
internal static class MatchLists
{
    /// <summary>
    /// The prefixes of the device's family (CAMARA ApplicationServer may carry IPv4 and IPv6; a flow has one
    /// family), without any prefix another one already covers. Empty = any server.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Servers(string id, IPAddress device, IReadOnlyList<string>? texts, Func<string, IPNetwork> parse)
    {
        if (texts is null || texts.Count == 0)
        {
            return [];
        }
        var all = texts.Select(t => parse(t ?? throw new PolicyException($"policy {id}: null serverIp"))).ToList();
        var same = all.Where(n => n.BaseAddress.AddressFamily == device.AddressFamily).OrderBy(n => n.PrefixLength).ToList();
        PolicyTyper.Check(same.Count > 0, id, $"no serverIps of the address family of deviceIp {device}");
        var kept = new List<IPNetwork>();
        foreach (var n in same)
        {
            if (!kept.Any(k => k.Contains(n.BaseAddress)))
            {
                kept.Add(n);
            }
        }
        return [.. kept.OrderBy(n => n.BaseAddress.GetAddressBytes(), ByteOrder.Instance)];
    }

    /// <summary>Valid ranges (0-65535, From ≤ To), sorted, overlapping or adjacent ones merged. Empty = any port.</summary>
    public static IReadOnlyList<Ports> Ports(string id, string field, IReadOnlyList<PortRange>? ranges)
    {
        if (ranges is null || ranges.Count == 0)
        {
            return [];
        }
        foreach (var r in ranges)
        {
            PolicyTyper.Check(r is not null && r.IsValid, id, $"{field} {r?.From}-{r?.To} outside 0-65535 or reversed");
        }
        var merged = new List<Ports>();
        foreach (var r in ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && r.From <= merged[^1].To + 1)
            {
                merged[^1] = merged[^1] with { To = (ushort)Math.Max(merged[^1].To, r.To) };
                continue;
            }
            merged.Add(new Ports((ushort)r.From, (ushort)r.To));
        }
        return merged;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}
