using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>One enforcer wired to a recording runner and a fake clock, with its own state directory.</summary>
internal sealed class Harness : IDisposable
{
    public Harness(EnforcementOptions? options = null, ICommandRunner? inner = null, FakeTimeProvider? time = null)
    {
        Options = options ?? Documents.Options();
        Runner = new RecordingRunner(inner);
        Time = time ?? new FakeTimeProvider(Documents.Issued);
        Enforcer = New();
    }

    public EnforcementOptions Options { get; }
    public RecordingRunner Runner { get; }
    public FakeTimeProvider Time { get; }
    public Enforcer Enforcer { get; }

    /// <summary>Another enforcer sharing options, runner and clock: a restarted agent.</summary>
    public Enforcer New() => new(Microsoft.Extensions.Options.Options.Create(Options), new AgentIdentity("gw-test", 1_700_000_000),
        Time, new FixedProbe("htb", "bfifo", "pfifo"), Runner, NullLogger<Enforcer>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(Options.StateDirectory))
        {
            Directory.Delete(Options.StateDirectory, recursive: true);
        }
    }
}
