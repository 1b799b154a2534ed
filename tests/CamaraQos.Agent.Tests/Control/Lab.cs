namespace CamaraQos.Agent.Tests.Control;

/// <summary>
/// Drives tests/lab/lab.sh for a test: its own namespace prefix and address block so several labs can run
/// at once; disposing always runs <c>down</c>, also after a failed <c>up</c>.
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private Lab(string prefix, int block)
    {
        Prefix = prefix;
        Block = block;
        _environment = new() { ["LAB_PREFIX"] = prefix, ["LAB_NET"] = "10.213", ["LAB_BASE"] = block.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    public string Prefix { get; }

    /// <summary>Third octet of the management /30; WAN is Block+1, LAN is Block+2.</summary>
    public int Block { get; }

    public string Namespace(string name) => $"{Prefix}-{name}";

    public string Address(int offset, int host) => $"10.213.{Block + offset}.{host}";

    public string WanServer => Address(1, 2);

    public string GatewayWan => Address(1, 1);

    public string Lan1 => Address(2, 10);

    public string HostSide => Address(0, 1);

    public static async Task<Lab> UpAsync(string prefix, int block, params string[] options)
    {
        var lab = new Lab(prefix, block);
        try
        {
            (await lab.ScriptAsync(["up", .. options])).EnsureSuccess("lab.sh up");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public Task<CommandResult> ExecAsync(string ns, params string[] command) => ScriptAsync(["exec", ns, .. command]);

    public Task<CommandResult> ScriptAsync(string[] args) =>
        Command.RunAsync("bash", [Command.RepoPath("tests/lab/lab.sh"), .. args], TimeSpan.FromSeconds(60), _environment);

    public async ValueTask DisposeAsync() => await ScriptAsync(["down"]);
}
