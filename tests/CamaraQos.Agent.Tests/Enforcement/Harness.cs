using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>One enforcer wired to a recording runner and nftables, a fake clock, with its own state directory.</summary>
internal sealed class Harness : IDisposable
{
    /// <param name="nft">The nftables behind the recorder: the real kernel in a namespace, or by default <see cref="FakeNftKernel"/>.</param>
    /// <param name="probe">The capability probe; by default one that offers htb, bfifo and pfifo.</param>
    /// <param name="tc">The tc objects' door behind the recorder: <see cref="RtnetlinkTc"/> in a namespace, or by default <see cref="FakeTrafficControl"/>.</param>
    public Harness(EnforcementOptions? options = null, ICommandRunner? inner = null, FakeTimeProvider? time = null, INftables? nft = null,
        ICapabilityProbe? probe = null, ITrafficControl? tc = null)
    {
        _probe = probe ?? new FixedProbe("htb", "bfifo", "pfifo");
        Options = options ?? Documents.Options();
        Runner = new RecordingRunner(inner);
        _kernel = nft as IDisposable;
        Nft = new RecordingNftables(Runner, nft ?? new FakeNftKernel());
        _tcKernel = tc as IDisposable;
        Tc = new RecordingTrafficControl(Runner, tc ?? new FakeTrafficControl());
        Time = time ?? new FakeTimeProvider(Documents.Issued);
        Enforcer = New();
    }

    private readonly IDisposable? _kernel;
    private readonly IDisposable? _tcKernel;
    private readonly ICapabilityProbe _probe;

    public EnforcementOptions Options { get; }
    public RecordingRunner Runner { get; }
    public INftables Nft { get; }
    public ITrafficControl Tc { get; }
    public FakeTimeProvider Time { get; }
    public Enforcer Enforcer { get; }

    /// <summary>Another enforcer sharing options, runner and clock: a restarted agent.</summary>
    public Enforcer New() => new(Microsoft.Extensions.Options.Options.Create(Options), new AgentIdentity("gw-test", 1_700_000_000),
        Time, _probe, Nft, Tc, Runner, NullLogger<Enforcer>.Instance);

    public void Dispose()
    {
        _kernel?.Dispose();
        _tcKernel?.Dispose();
        if (Directory.Exists(Options.StateDirectory))
        {
            Directory.Delete(Options.StateDirectory, recursive: true);
        }
    }
}
