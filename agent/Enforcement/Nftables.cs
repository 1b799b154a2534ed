namespace CamaraQos.Agent.Enforcement;

/// <summary>What libnftables answered to one buffer: its return code, its output and its error text.</summary>
public sealed record NftResult(int Code, string Output, string Error)
{
    public bool Ok => Code == 0;

    public string Describe() => $"nft returned {Code}: {Error.Trim()}";
}

/// <summary>
/// The one door to nftables: a buffer of nft commands, run as one transaction (libnftables(3)). The agent uses
/// <see cref="LibNftables"/> in its own process; tests substitute a recorder or a fake kernel.
/// </summary>
public interface INftables
{
    /// <param name="json">Answer in JSON (for <c>list</c>, libnftables-json(5)); the commands are always nft syntax.</param>
    Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct);
}
