using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary><c>--render</c>: a desired document through the running agent's reader and planner, printed, no kernel.</summary>
public sealed class RenderCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cqc-render-");

    [Fact]
    public void ADocumentRendersAsTheNftTransactionAndTcCommandsTheAgentWouldApply()
    {
        var options = Documents.Options();
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = DocumentRendering.Run(Documents.Json(Documents.Realistic(7)), options, "fq_codel", Documents.Issued, output, error);

        Assert.Equal(0, code);
        Assert.Empty(error.ToString());
        var text = output.ToString();
        var planned = KernelModel.Plan([.. Documents.Realistic(7).Policies!.Select(PolicyTyper.Type)], options, "fq_codel");
        Assert.StartsWith("# generation 7: 3 policies, 3 active at ", text, StringComparison.Ordinal);
        Assert.Contains(NftRenderer.Render(planned.Nft, elements: true), text, StringComparison.Ordinal);
        Assert.Contains("192.168.1.10", text, StringComparison.Ordinal);
        Assert.Contains("2001:db8:1::10", text, StringComparison.Ordinal);
        Assert.Equal(planned.Tc.Select(c => c.Line), text[(text.IndexOf("# tc\n", StringComparison.Ordinal) + 5)..].TrimEnd('\n').Split('\n'));
        Assert.Contains(planned.Tc, c => c.Line.Contains("dev wan0", StringComparison.Ordinal) && c.Line.Contains("fq_codel", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExpiredPolicyIsListedAndLeftOutOfTheKernelState()
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = DocumentRendering.Run(Documents.Json(Documents.Realistic(7)), Documents.Options(), "bfifo",
            Documents.Issued.AddMinutes(90), output, error);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("# generation 7: 3 policies, 2 active at ", text, StringComparison.Ordinal);
        Assert.Contains("# qod-tcp: expired, notAfter 2025-06-01T13:00:00.0000000+00:00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.168.1.10 ", text, StringComparison.Ordinal);
        Assert.Contains("2001:db8:1::10", text, StringComparison.Ordinal);
        Assert.Contains("bfifo limit", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ADocumentTheAgentWouldRejectPrintsTheReasonAndNothingElse()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var wrongSchema = Documents.Realistic(7) with { SchemaVersion = Contract.SchemaVersion + 1 };

        var code = DocumentRendering.Run(Documents.Json(wrongSchema), Documents.Options(), "fq_codel", Documents.Issued, output, error);

        Assert.Equal(1, code);
        Assert.Empty(output.ToString());
        Assert.Equal($"camaraqos-agent: document rejected: unknown schema version {Contract.SchemaVersion + 1} (expected {Contract.SchemaVersion})",
            error.ToString().TrimEnd());
    }

    [Fact]
    public async Task TheAgentBinaryRendersADocumentFromItsInterfaceAndRateKeysAlone()
    {
        var document = WriteDocument(_work.FullName);

        var run = await Command.RunAsync(AgentBinary.Path, ["--render", document, "--leaf", "cake", .. RenderKeys]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("table inet camaraqos", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("cake unlimited besteffort", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "--render" }, "camaraqos-agent: --render needs a file")]
    [InlineData(new[] { "--render", "/nonexistent/desired.json" }, "camaraqos-agent: cannot read /nonexistent/desired.json")]
    [InlineData(new[] { "--render", "DOC", "--leaf", "pfifo" }, "camaraqos-agent: --leaf must be one of fq_codel, cake, bfifo")]
    [InlineData(new[] { "--render", "DOC", "--Agent:UplinkKbps=" }, "camaraqos-agent: configuration error: Agent:UplinkKbps")]
    public async Task ARenderThatCannotRunSaysWhyInOneLine(string[] args, string message)
    {
        var document = WriteDocument(_work.FullName);

        var run = await Command.RunAsync(AgentBinary.Path, [.. RenderKeys, .. args.Select(a => a == "DOC" ? document : a)]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    /// <summary>The keys --render reads; no broker, no agent id.</summary>
    public static readonly string[] RenderKeys =
        ["--config", "/nonexistent/agent.json", "--Agent:WanInterface=wan0", "--Agent:LanInterfaces=lan0", "--Agent:UplinkKbps=10000", "--Agent:DownlinkKbps=50000"];

    /// <summary>A document whose policies stay active for a day, so the binary (on the real clock) renders them all.</summary>
    public static string WriteDocument(string directory)
    {
        var until = DateTimeOffset.UtcNow.AddDays(1);
        var state = Documents.State(3, Documents.TcpFlow() with { NotAfter = until }, Documents.HomeTv());
        var path = Path.Combine(directory, "desired.json");
        File.WriteAllBytes(path, Documents.Json(state));
        return path;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
