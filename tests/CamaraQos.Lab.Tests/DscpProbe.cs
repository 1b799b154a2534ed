using System.Globalization;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// The "capture" on the server side: our own <c>table inet cqxprobe</c> in the WAN server's namespace counts
/// the TCP packets arriving on its input hook per destination port, split by DSCP EF (46) and any other
/// codepoint: what the server receives is what the gateway sent out of its WAN egress.
/// </summary>
public static partial class DscpProbe
{
    public static async Task InstallAsync(TestLab lab, params int[] ports)
    {
        var rules = string.Concat(ports.Select(p =>
            $"\t\ttcp dport {p} ip dscp ef counter name ef{p}\n\t\ttcp dport {p} ip dscp != ef counter name other{p}\n"));
        var counters = string.Concat(ports.Select(p => $"\tcounter ef{p} {{ }}\n\tcounter other{p} {{ }}\n"));
        var script = $"table inet cqxprobe {{\n{counters}\tchain in {{\n\t\ttype filter hook input priority 0; policy accept;\n{rules}\t}}\n}}\n";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script);
            (await lab.ExecAsync("wan", "nft", "-f", file)).EnsureSuccess("nft cqxprobe");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Packets seen so far on <paramref name="port"/>: (with EF, with any other DSCP).</summary>
    public static async Task<(long Ef, long Other)> CountAsync(TestLab lab, int port) =>
        (await PacketsAsync(lab, $"ef{port}"), await PacketsAsync(lab, $"other{port}"));

    private static async Task<long> PacketsAsync(TestLab lab, string counter)
    {
        var text = (await lab.ExecAsync("wan", "nft", "list", "counter", "inet", "cqxprobe", counter)).EnsureSuccess("nft list counter").Stdout;
        return long.Parse(Packets().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"packets (\d+)")]
    private static partial Regex Packets();
}
