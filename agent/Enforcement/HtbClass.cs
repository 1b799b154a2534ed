using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The fixed HTB layout on every shaped egress (docs/ARCHITECTURE.md §6): root 1:, parent 1:1 at the shaped line
/// rate, and three leaves. Both trees use handle 1:, so one <c>meta priority</c> value classifies a packet on
/// whichever egress it leaves by: HTB picks the class whose id equals skb->priority (sch_htb.c, htb_classify).
/// </summary>
public static class HtbClass
{
    public const int Priority = 0x10;
    public const int Default = 0x20;
    public const int Bulk = 0x30;

    public static int Minor(TrafficClass c) => c switch
    {
        TrafficClass.Priority => Priority,
        TrafficClass.Bulk => Bulk,
        _ => Default,
    };

    /// <summary>tc/nft notation: hexadecimal major:minor (tc(8) "QDISCS AND CLASSES HANDLES").</summary>
    public static string Id(int minor) => $"1:{minor:x}";
}
