namespace CamaraQos.TestSupport;

/// <summary>
/// A network namespace a test owns: unique name with the caller's prefix, veth pairs and addresses inside it,
/// commands executed in it (ip-netns(8) "exec"), always deleted on dispose, which also removes its links,
/// qdiscs and nftables tables. Nothing outside the namespace is touched.
/// </summary>
public sealed class NetNs : IAsyncDisposable
{
    private NetNs(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates <c>{prefix}{random}</c> with loopback up. Call Privileged.Require first.</summary>
    public static async Task<NetNs> CreateAsync(string prefix)
    {
        var ns = new NetNs(prefix + Guid.NewGuid().ToString("N")[..8]);
        await Proc.CheckAsync("ip", ["netns", "add", ns.Name]);
        try
        {
            await ns.CheckAsync("ip", "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    public static async Task<bool> ExistsAsync(string name) =>
        (await Proc.CheckAsync("ip", ["netns", "list"])).Split('\n').Any(l => l.Split(' ')[0] == name);

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<ProcResult> ExecAsync(params string[] args) => Proc.RunAsync("ip", ["netns", "exec", Name, .. args]);

    /// <summary>Runs a command inside the namespace, feeding <paramref name="stdin"/>; failure throws.</summary>
    public Task<string> CheckWithInputAsync(string stdin, params string[] args) =>
        Proc.CheckAsync("ip", ["netns", "exec", Name, .. args], stdin);

    /// <summary>Runs a command inside the namespace; a non-zero exit throws.</summary>
    public Task<string> CheckAsync(params string[] args) => Proc.CheckAsync("ip", ["netns", "exec", Name, .. args]);

    /// <summary>A veth pair with both ends in this namespace, both up.</summary>
    public async Task AddVethAsync(string a, string b)
    {
        await CheckAsync("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        await CheckAsync("ip", "link", "set", a, "up");
        await CheckAsync("ip", "link", "set", b, "up");
    }

    /// <summary>Moves one end of a local veth into another namespace (for multi-namespace topologies).</summary>
    public Task MoveAsync(string device, NetNs target) => CheckAsync("ip", "link", "set", device, "netns", target.Name);

    public Task AddAddressAsync(string device, string cidr) => CheckAsync("ip", "address", "add", cidr, "dev", device);

    public async ValueTask DisposeAsync()
    {
        await Proc.RunAsync("ip", ["netns", "del", Name]);
    }
}
