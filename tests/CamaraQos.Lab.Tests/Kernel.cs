using System.Globalization;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Lab.Tests;

/// <summary>What the gateway's kernel holds of the agent's: its nft table and HTB classes, read with nft(8) and tc(8).</summary>
public static partial class Kernel
{
    public static async Task<string> NftTableAsync(TestLab lab) =>
        (await lab.ExecAsync("gw", "nft", "list", "table", "inet", "camaraqos")).Stdout;

    /// <summary>Table, classes and qdiscs as text without statistics or handles: equal text, equal kernel state.</summary>
    public static async Task<string> SnapshotAsync(TestLab lab)
    {
        var text = await NftTableAsync(lab);
        foreach (var dev in (string[])["wan0", "lan0"])
        {
            text += (await lab.ExecAsync("gw", "tc", "class", "show", "dev", dev)).EnsureSuccess("tc class show").Stdout;
            text += (await lab.ExecAsync("gw", "tc", "qdisc", "show", "dev", dev)).EnsureSuccess("tc qdisc show").Stdout;
        }
        return text;
    }

    /// <summary>Bytes and packets an HTB class has sent (tc -s class show: "Sent N bytes M pkt").</summary>
    public static async Task<(long Bytes, long Packets)> ClassSentAsync(TestLab lab, string dev, string classId)
    {
        var text = (await lab.ExecAsync("gw", "tc", "-s", "class", "show", "dev", dev, "classid", classId)).EnsureSuccess("tc -s class").Stdout;
        var m = Sent().Match(text);
        return m.Success
            ? (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"no counters for class {classId} on {dev}: {text}");
    }

    /// <summary>
    /// The class's counters once they stop moving: iperf3 returns when its data is written, while the last
    /// segments may still sit in the gateway's queues. Polls until three reads 100 ms apart agree.
    /// </summary>
    public static async Task<(long Bytes, long Packets)> SettledClassSentAsync(TestLab lab, string dev, string classId)
    {
        var last = await ClassSentAsync(lab, dev, classId);
        var steady = 0;
        for (var i = 0; i < 100 && steady < 2; i++)
        {
            await Task.Delay(100);
            var now = await ClassSentAsync(lab, dev, classId);
            steady = now == last ? steady + 1 : 0;
            last = now;
        }
        return last;
    }

    /// <summary>Bytes queued in a leaf qdisc right now (tc -s qdisc: "backlog Nb").</summary>
    public static async Task<long> BacklogAsync(TestLab lab, string dev, string parent)
    {
        var text = (await lab.ExecAsync("gw", "tc", "-s", "qdisc", "show", "dev", dev, "parent", parent)).EnsureSuccess("tc -s qdisc").Stdout;
        var m = Backlog().Match(text);
        if (!m.Success)
        {
            return 0;
        }
        // tc prints sizes scaled (sprint_size in iproute2): "1234b", "12Kb", "1Mb".
        var scale = m.Groups[2].Value switch { "K" => 1024L, "M" => 1024L * 1024, _ => 1L };
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * scale;
    }

    public static int CountLines(string text, string what) =>
        text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    /// <summary>
    /// Verdict-map elements (nft lists one per line) of <paramref name="device"/> jumping to a class chain
    /// (<c>mark_46_1_10</c>: DSCP 46, priority 1:10): one per direction a policy covers.
    /// </summary>
    public static int CountElements(string table, string device, string chain) =>
        table.Split('\n').Count(l => Regex.IsMatch(l, $@"[{{\s]{Regex.Escape(device)} \. .* : jump {chain}\b"));

    /// <summary>Verdict-map elements whose server port (the last key field) is <paramref name="port"/>, to a class chain.</summary>
    public static int CountServerPortElements(string table, int port, string chain) =>
        CountLines(table, $" . {port} : jump {chain}");

    [GeneratedRegex(@"Sent (\d+) bytes (\d+) pkt")]
    private static partial Regex Sent();

    [GeneratedRegex(@"backlog (\d+)([KM]?)b")]
    private static partial Regex Backlog();
}
