namespace CamaraQos.Agent.Enforcement;

/// <summary>One shaped egress: the device, its line rate and the guaranteed rate its priority class needs.</summary>
public sealed record TcTree(string Device, int LineKbps, int GuaranteedKbps);

/// <summary>The HTB trees to hold, and which leaf qdisc the kernel offers.</summary>
public sealed record TcModel(IReadOnlyList<TcTree> Trees, string LeafKind);

/// <summary>
/// One tc object, keyed by what it names, so the reconciler can diff objects and send only the changed ones;
/// <see cref="Line"/> is its tc(8) "replace" form (create or change). Arguments contain no spaces: interface
/// names are validated.
/// </summary>
public sealed record TcCommand(string Key, string Line, TcObject Object)
{
    public static TcCommand Of(TcObject o) => new(o.Key, o.Line, o);

    public IReadOnlyList<string> Args => Line.Split(' ');
}

/// <summary>Pure renderer of the HTB trees (docs/ARCHITECTURE.md §6) to tc commands; golden-tested.</summary>
public static class TcRenderer
{
    /// <summary>Smallest rate of a class (kbit/s): enough for a few MTU-sized packets a second.</summary>
    public const int FloorKbps = 64;

    /// <summary>Three full-size Ethernet frames: the smallest FIFO that never starves a class.</summary>
    public const int MinFifoBytes = 3 * 1514;

    public static IReadOnlyList<TcCommand> Render(TcModel m)
    {
        var list = new List<TcCommand>();
        foreach (var t in m.Trees)
        {
            Tree(list, t, m.LeafKind);
        }
        return list;
    }

    /// <summary>Shape a little below the line (95 %, as sqm does) so the queue forms here, where it is managed.</summary>
    public static int ShapedKbps(int lineKbps) => Math.Max(3 * FloorKbps, (int)(lineKbps * 95L / 100));

    private static void Tree(List<TcCommand> list, TcTree t, string leafKind)
    {
        var root = ShapedKbps(t.LineKbps);
        var bulk = Math.Max(FloorKbps, root / 20);
        var prio = Math.Clamp(t.GuaranteedKbps, FloorKbps, root - bulk - FloorKbps);
        var dflt = root - prio - bulk;
        var d = t.Device;
        list.Add(TcCommand.Of(new HtbRoot(d, HtbClass.Default)));
        list.Add(TcCommand.Of(new HtbClassObject(d, 1, 0, root, root, null, null)));
        Class(list, d, HtbClass.Priority, prio, root, 0, leafKind);
        Class(list, d, HtbClass.Default, dflt, root, 1, leafKind);
        Class(list, d, HtbClass.Bulk, bulk, root, 2, leafKind);
    }

    private static void Class(List<TcCommand> list, string d, int minor, int rate, int ceil, int prio, string leafKind)
    {
        // quantum: one MTU, so low-rate classes neither starve nor trip HTB's "quantum is small" warning.
        list.Add(TcCommand.Of(new HtbClassObject(d, minor, 1, rate, ceil, prio, 1514)));
        // fq_codel (RFC 8290) or CAKE when loadable; else a bfifo holding ~8 ms at the class rate:
        // kbit/s × 8 ms ÷ 8 bit/byte = rate in bytes: 1 kbit/s for 8 ms is exactly 1 byte.
        list.Add(TcCommand.Of(new LeafQdisc(d, minor, leafKind, Math.Max(MinFifoBytes, rate))));
    }

    /// <summary>The leaf qdisc to use given the probed qdisc list.</summary>
    public static string ChooseLeaf(IReadOnlyCollection<string> qdiscs) =>
        qdiscs.Contains("fq_codel") ? "fq_codel" : qdiscs.Contains("cake") ? "cake" : "bfifo";
}
