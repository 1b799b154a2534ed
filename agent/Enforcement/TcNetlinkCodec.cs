using System.Runtime.InteropServices;
using System.Text;
using CamaraQos.Agent.Native;
using CamaraQos.Agent.Native.Linux;
using static Tmds.Linux.LibC;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// tc objects to rtnetlink requests and dumped qdiscs/classes back to <see cref="TcCanonical"/> lines. The
/// requests are those tc(8) sends for the same "replace" line (iproute2 tc/tc_qdisc.c, tc_class.c, q_htb.c,
/// q_fifo.c, q_cake.c, q_fq_codel.c), less HTB's rate tables: with the link layer named, the kernel
/// computes its own (sch_htb.c, htb_change_class).
/// </summary>
internal static class TcNetlinkCodec
{
    private const ushort Replace = netlink.NLM_F_REQUEST | netlink.NLM_F_CREATE | netlink.NLM_F_REPLACE;

    public static NetlinkMessage Encode(TcObject o, int ifindex) => o switch
    {
        HtbRoot r => Options(Start(pkt_sched.RTM_NEWQDISC, ifindex, TcObject.Make(1, 0), pkt_sched.TC_H_ROOT, "htb"), m => m.Attribute(
            pkt_sched.TCA_HTB_INIT, new tc_htb_glob { version = pkt_sched.TC_HTB_PROTOVER, rate2quantum = HtbRoot.RateToQuantum, defcls = (uint)r.DefaultMinor })),
        HtbClassObject c => Options(Start(pkt_sched.RTM_NEWTCLASS, ifindex, c.ClassId, c.Parent, "htb"), m => Htb(m, c)),
        LeafQdisc { Kind: "fq_codel" } l => Options(Start(pkt_sched.RTM_NEWQDISC, ifindex, l.QdiscHandle, l.Parent, "fq_codel"), _ => { }),
        LeafQdisc { Kind: "cake" } l => Options(Start(pkt_sched.RTM_NEWQDISC, ifindex, l.QdiscHandle, l.Parent, "cake"), m => m
            .Attribute(pkt_sched.TCA_CAKE_BASE_RATE64, 0UL)
            .Attribute(pkt_sched.TCA_CAKE_DIFFSERV_MODE, pkt_sched.CAKE_DIFFSERV_BESTEFFORT)),
        // struct tc_fifo_qopt { __u32 limit; }, not nested.
        LeafQdisc l => Start(pkt_sched.RTM_NEWQDISC, ifindex, l.QdiscHandle, l.Parent, "bfifo").Attribute(pkt_sched.TCA_OPTIONS, (uint)l.LimitBytes),
        _ => throw new ArgumentException($"no rtnetlink form for {o.GetType().Name}", nameof(o)),
    };

    /// <summary>tc qdisc del dev D root.</summary>
    public static NetlinkMessage DeleteRoot(int ifindex) => new NetlinkMessage(pkt_sched.RTM_DELQDISC, netlink.NLM_F_REQUEST)
        .Body(new tcmsg { tcm_family = (byte)AF_UNSPEC, tcm_ifindex = ifindex, tcm_parent = pkt_sched.TC_H_ROOT });

    private static NetlinkMessage Start(ushort type, int ifindex, uint handle, uint parent, string kind) =>
        new NetlinkMessage(type, Replace)
            .Body(new tcmsg { tcm_family = (byte)AF_UNSPEC, tcm_ifindex = ifindex, tcm_handle = handle, tcm_parent = parent })
            .Attribute(pkt_sched.TCA_KIND, kind);

    private static NetlinkMessage Options(NetlinkMessage m, Action<NetlinkMessage> add)
    {
        var nest = m.BeginNest(pkt_sched.TCA_OPTIONS);
        add(m);
        return m.EndNest(nest);
    }

    private static void Htb(NetlinkMessage m, HtbClassObject c)
    {
        // Rates of 2^32 bytes/s and more (34 Gbit/s) travel as 64-bit attributes, the 32-bit field saturated.
        if (c.RateBytes > uint.MaxValue)
        {
            m.Attribute(pkt_sched.TCA_HTB_RATE64, c.RateBytes);
        }
        if (c.CeilBytes > uint.MaxValue)
        {
            m.Attribute(pkt_sched.TCA_HTB_CEIL64, c.CeilBytes);
        }
        m.Attribute(pkt_sched.TCA_HTB_PARMS, new tc_htb_opt
        {
            rate = Rate(c.RateBytes),
            ceil = Rate(c.CeilBytes),
            buffer = HtbBurst.Ticks(c.RateBytes),
            cbuffer = HtbBurst.Ticks(c.CeilBytes),
            quantum = (uint)(c.Quantum ?? 0),
            prio = (uint)(c.Prio ?? 0),
        });
    }

    // cell_log 3 and cell_align -1: what tc_calc_rtable sets for the default mtu 1600.
    private static tc_ratespec Rate(ulong bytes) => new()
    {
        rate = bytes > uint.MaxValue ? uint.MaxValue : (uint)bytes,
        linklayer = pkt_sched.TC_LINKLAYER_ETHERNET,
        cell_log = 3,
        cell_align = -1,
    };

    /// <summary>A dumped qdisc (RTM_NEWQDISC) as a canonical line, or null for one outside any tree (ingress, clsact).</summary>
    public static string? Qdisc(ReadOnlySpan<byte> payload, out int ifindex)
    {
        var m = MemoryMarshal.Read<tcmsg>(payload);
        ifindex = m.tcm_ifindex;
        if (m.tcm_parent == pkt_sched.TC_H_INGRESS)
        {
            return null;
        }
        var attributes = RtAttributes.After<tcmsg>(payload);
        var kind = Kind(attributes);
        RtAttributes.TryFind(attributes, pkt_sched.TCA_OPTIONS, out var options);
        var text = kind switch
        {
            "htb" when RtAttributes.TryFind(options, pkt_sched.TCA_HTB_INIT, out var init) && init.Length >= System.Runtime.CompilerServices.Unsafe.SizeOf<tc_htb_glob>()
                => HtbGlob(MemoryMarshal.Read<tc_htb_glob>(init)),
            "bfifo" or "pfifo" when options.Length >= sizeof(uint) => TcCanonical.FifoOptions(MemoryMarshal.Read<uint>(options)),
            "cake" => TcCanonical.CakeOptions(
                RtAttributes.TryFind(options, pkt_sched.TCA_CAKE_BASE_RATE64, out var rate) && rate.Length >= 8 ? MemoryMarshal.Read<ulong>(rate) : 0,
                RtAttributes.TryFind(options, pkt_sched.TCA_CAKE_DIFFSERV_MODE, out var mode) && mode.Length >= 4 ? MemoryMarshal.Read<uint>(mode) : 0),
            _ => "",
        };
        return TcCanonical.Qdisc(kind, m.tcm_handle, m.tcm_parent, text);
    }

    private static string HtbGlob(tc_htb_glob g) => $" r2q {g.rate2quantum} default 0x{g.defcls:x}";

    /// <summary>A dumped HTB class as a canonical line; null for other kinds (fq_codel and cake list their flows and tins).</summary>
    public static string? Class(ReadOnlySpan<byte> payload)
    {
        var m = MemoryMarshal.Read<tcmsg>(payload);
        var attributes = RtAttributes.After<tcmsg>(payload);
        if (Kind(attributes) != "htb" || !RtAttributes.TryFind(attributes, pkt_sched.TCA_OPTIONS, out var options) ||
            !RtAttributes.TryFind(options, pkt_sched.TCA_HTB_PARMS, out var parms) || parms.Length < System.Runtime.CompilerServices.Unsafe.SizeOf<tc_htb_opt>())
        {
            return null;
        }
        var o = MemoryMarshal.Read<tc_htb_opt>(parms);
        var rate = RtAttributes.TryFind(options, pkt_sched.TCA_HTB_RATE64, out var r64) && r64.Length >= 8 ? MemoryMarshal.Read<ulong>(r64) : o.rate.rate;
        var ceil = RtAttributes.TryFind(options, pkt_sched.TCA_HTB_CEIL64, out var c64) && c64.Length >= 8 ? MemoryMarshal.Read<ulong>(c64) : o.ceil.rate;
        return TcCanonical.HtbClass(m.tcm_handle, m.tcm_parent, o.level == 0 ? (o.prio, o.quantum) : null, rate, ceil, o.buffer, o.cbuffer);
    }

    private static string Kind(ReadOnlySpan<byte> attributes)
    {
        if (!RtAttributes.TryFind(attributes, pkt_sched.TCA_KIND, out var kind))
        {
            return "?";
        }
        var end = kind.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? kind : kind[..end]);
    }
}
