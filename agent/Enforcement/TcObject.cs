using System.Globalization;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// One tc object of an HTB tree, as data: written over rtnetlink (<see cref="RtnetlinkTc"/>) or as its tc(8)
/// <see cref="Line"/> (the fallback), and compared with what a netlink dump reads back through
/// <see cref="Canonical"/>: the fields we set, in the form <see cref="TcCanonical"/> gives a dumped object.
/// </summary>
public abstract record TcObject(string Device)
{
    /// <summary>What it names ("wan0 class 1:10"): the reconciler diffs objects by key.</summary>
    public abstract string Key { get; }

    /// <summary>The tc(8) "replace" command (create or change) that sets it.</summary>
    public abstract string Line { get; }

    /// <summary>The line a dump of it reads back as (device not included).</summary>
    public abstract string Canonical { get; }

    /// <summary>tc notation: hexadecimal major:minor, "1:" for a qdisc's minor 0 (tc(8) "QDISCS AND CLASSES HANDLES").</summary>
    public static string Handle(uint handle) => (handle & 0xffff) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{handle >> 16:x}:")
        : string.Create(CultureInfo.InvariantCulture, $"{handle >> 16:x}:{handle & 0xffff:x}");

    public static uint Make(int major, int minor) => ((uint)major << 16) | (uint)minor;
}

/// <summary>The HTB root 1: of a device; unclassified traffic goes to <paramref name="DefaultMinor"/>.</summary>
public sealed record HtbRoot(string Device, int DefaultMinor) : TcObject(Device)
{
    /// <summary>tc(8)'s r2q default: a leaf's quantum is its rate in bytes/s divided by this, unless given.</summary>
    public const int RateToQuantum = 10;

    public override string Key => $"{Device} qdisc root";

    public override string Line => $"qdisc replace dev {Device} root handle 1: htb default {DefaultMinor:x}";

    public override string Canonical => TcCanonical.HtbQdisc(Make(1, 0), Native.Linux.pkt_sched.TC_H_ROOT, RateToQuantum, (uint)DefaultMinor);
}

/// <summary>
/// An HTB class 1:<paramref name="Minor"/> under 1:<paramref name="ParentMinor"/> (0: the root qdisc). Prio and
/// quantum are given for leaves only: the kernel keeps them for a class without children alone (sch_htb.c).
/// </summary>
public sealed record HtbClassObject(string Device, int Minor, int ParentMinor, int RateKbps, int CeilKbps, int? Prio, int? Quantum)
    : TcObject(Device)
{
    public uint ClassId => Make(1, Minor);

    public uint Parent => Make(1, ParentMinor);

    /// <summary>tc(8) "kbit" is 1000 bit/s; the kernel takes bytes/s.</summary>
    public ulong RateBytes => (ulong)RateKbps * 125;

    public ulong CeilBytes => (ulong)CeilKbps * 125;

    public override string Key => $"{Device} class {Handle(ClassId)}";

    public override string Line => $"class replace dev {Device} parent {Handle(Parent)} classid {Handle(ClassId)} htb rate {RateKbps}kbit ceil {CeilKbps}kbit"
        + (Prio is { } p ? $" prio {p}" : "") + (Quantum is { } q ? $" quantum {q}" : "");

    // A class under the qdisc itself has no parent class: the kernel dumps it as under TC_H_ROOT (htb_dump_class).
    public override string Canonical => TcCanonical.HtbClass(ClassId, ParentMinor == 0 ? Native.Linux.pkt_sched.TC_H_ROOT : Parent, Prio is null ? null : ((uint)Prio, (uint)(Quantum ?? 0)),
        RateBytes, CeilBytes, HtbBurst.Ticks(RateBytes), HtbBurst.Ticks(CeilBytes));
}

/// <summary>The leaf qdisc <paramref name="Minor"/>: of class 1:<paramref name="Minor"/>: fq_codel, cake or a bfifo of <paramref name="LimitBytes"/>.</summary>
public sealed record LeafQdisc(string Device, int Minor, string Kind, int LimitBytes) : TcObject(Device)
{
    public uint QdiscHandle => Make(Minor, 0);

    public uint Parent => Make(1, Minor);

    public override string Key => $"{Device} qdisc {Handle(Parent)}";

    public override string Line => $"qdisc replace dev {Device} parent {Handle(Parent)} handle {Handle(QdiscHandle)} " + Kind switch
    {
        "fq_codel" => "fq_codel",
        "cake" => "cake unlimited besteffort",
        _ => $"bfifo limit {LimitBytes}",
    };

    public override string Canonical => Kind switch
    {
        "fq_codel" => TcCanonical.Qdisc("fq_codel", QdiscHandle, Parent, ""),
        "cake" => TcCanonical.Qdisc("cake", QdiscHandle, Parent, TcCanonical.CakeOptions(0, Native.Linux.pkt_sched.CAKE_DIFFSERV_BESTEFFORT)),
        _ => TcCanonical.Qdisc("bfifo", QdiscHandle, Parent, TcCanonical.FifoOptions((uint)LimitBytes)),
    };
}

/// <summary>
/// The one text form of a qdisc or class, whether meant (a <see cref="TcObject"/>) or dumped from the kernel
/// (<see cref="RtnetlinkTc"/>): rates in bytes/s, bursts in scheduler ticks, as netlink carries them.
/// </summary>
public static class TcCanonical
{
    public static string Qdisc(string kind, uint handle, uint parent, string options) =>
        $"qdisc {kind} {TcObject.Handle(handle)} {Where(parent)}{options}";

    public static string HtbQdisc(uint handle, uint parent, uint rateToQuantum, uint defaultClass) =>
        Qdisc("htb", handle, parent, $" r2q {rateToQuantum} default 0x{defaultClass:x}");

    public static string FifoOptions(uint limit) => $" limit {limit}";

    public static string CakeOptions(ulong bandwidth, uint diffserv) => $" bandwidth {bandwidth} diffserv {diffserv}";

    /// <param name="leaf">Prio and quantum of a class without children (the kernel changes them for those alone).</param>
    public static string HtbClass(uint id, uint parent, (uint Prio, uint Quantum)? leaf, ulong rate, ulong ceil, uint buffer, uint cbuffer) =>
        $"class htb {TcObject.Handle(id)} {Where(parent)}" + (leaf is { } l ? $" prio {l.Prio} quantum {l.Quantum}" : "")
        + $" rate {rate} ceil {ceil} burst {buffer} cburst {cbuffer}";

    private static string Where(uint parent) => parent == Native.Linux.pkt_sched.TC_H_ROOT ? "root" : $"parent {TcObject.Handle(parent)}";
}

/// <summary>
/// The burst tc(8) gives an HTB class when none is named (iproute2 tc/q_htb.c): rate / HZ + mtu (1600) bytes,
/// as the time to send them at the rate in scheduler ticks (tc_calc_xmittime, tc/tc_core.c), both scaled by the
/// kernel's clock as /proc/net/psched announces it. Computed the same way, the kernel holds what tc would have set.
/// The rounding is that of iproute2 before 6.15 (Debian 12's 6.1, what the agent's tc path used): microseconds
/// truncated, then ticks truncated; 6.15 rounds the ticks up instead ("tc: Fix rounding in tc_calc_xmittime"),
/// one tick more for most rates.
/// </summary>
public static class HtbBurst
{
    private const int Mtu = 1600;
    private const double TimeUnitsPerSecond = 1_000_000;
    private static readonly (double TickInUsec, ulong Hz) Clock = ReadClock();

    public static uint Ticks(ulong rateBytes)
    {
        var size = (uint)((rateBytes / Clock.Hz) + Mtu);
        var micros = (uint)(TimeUnitsPerSecond * ((double)size / rateBytes));
        return (uint)(micros * Clock.TickInUsec);
    }

    /// <summary>tc_core_init and get_hz (iproute2 lib/utils.c); the fall-backs are theirs when the file is missing.</summary>
    private static (double, ulong) ReadClock()
    {
        uint t2us = 1, us2t = 1, clockRes = 1_000_000, hz = 0;
        try
        {
            var f = File.ReadAllText("/proc/net/psched").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            (t2us, us2t, clockRes) = (Hex(f[0]), Hex(f[1]), Hex(f[2]));
            hz = clockRes == 1_000_000 ? Hex(f[3]) : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // as tc without the file: tick_in_usec 1, HZ 100
        }
        if (clockRes == 1_000_000_000)
        {
            t2us = us2t;
        }
        var clockFactor = clockRes / TimeUnitsPerSecond;
        return ((double)t2us / us2t * clockFactor, hz == 0 ? 100 : hz);
    }

    private static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
