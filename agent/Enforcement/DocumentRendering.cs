namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// <c>--render</c>: a desired document through the same reader and planner as a running agent, printed instead of
/// applied. The nft part is the one transaction the agent would hand libnftables on a gateway holding none of our
/// state (the table's add, delete and body); the tc part is one command per line, as for <c>tc -batch</c>.
/// </summary>
public static class DocumentRendering
{
    public static readonly IReadOnlyList<string> LeafKinds = ["fq_codel", "cake", "bfifo"];

    /// <returns>0 when rendered, 1 when the agent would reject the document (the reason on <paramref name="error"/>).</returns>
    public static int Run(ReadOnlySpan<byte> payload, EnforcementOptions options, string leaf, DateTimeOffset now, TextWriter output, TextWriter error)
    {
        var read = DocumentReader.Read(payload, options);
        if (read.Document is not { } document)
        {
            error.WriteLine($"camaraqos-agent: document rejected: {read.Reason}");
            return 1;
        }
        var active = document.Policies.Where(p => p.IsActiveAt(now)).ToList();
        var model = KernelModel.Plan(active, options, leaf);
        output.WriteLine($"# generation {document.State.Generation}: {document.Policies.Count} policies, {active.Count} active at {now:O}");
        foreach (var expired in document.Policies.Where(p => !p.IsActiveAt(now)))
        {
            output.WriteLine($"# {expired.Id}: expired, notAfter {expired.NotAfter:O}");
        }
        output.WriteLine("# nft (one transaction)");
        output.Write(NftRenderer.Render(model.Nft, elements: true));
        output.WriteLine("# tc");
        foreach (var command in model.Tc)
        {
            output.WriteLine(command.Line);
        }
        return 0;
    }
}
