using System.Threading.Channels;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Liveness;

/// <summary>An enforcer whose expiry rounds and applies do what the test says: return, throw or never end.</summary>
internal sealed class ScriptedEnforcer(Func<int, CancellationToken, Task> expire, Func<CancellationToken, Task>? submit = null)
    : IEnforcer
{
    private int _calls;

    /// <summary>The number of each expiry round as it starts.</summary>
    public Channel<int> ExpiryCalls { get; } = Channel.CreateUnbounded<int>();

    public ReportedState CurrentReport { get; } =
        new(Contract.SchemaVersion, "gw-live", 1, 0, DateTimeOffset.UnixEpoch, [], "", null);

    public IReadOnlyList<FlowMonitor> Monitors => [];

    public event Action<ReportedState>? Reported
    {
        add { }
        remove { }
    }

    public async Task<ReconcileOutcome?> ExpireAsync(CancellationToken ct)
    {
        var call = Interlocked.Increment(ref _calls);
        ExpiryCalls.Writer.TryWrite(call);
        await expire(call, ct);
        return null;
    }

    public async Task<int> NextCallAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        return await ExpiryCalls.Reader.ReadAsync(bound.Token);
    }

    /// <summary>Completes when an apply has started.</summary>
    public TaskCompletionSource Submitting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ReconcileOutcome> SubmitAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Submitting.TrySetResult();
        if (submit is not null)
        {
            await submit(ct);
        }
        return new ReconcileOutcome(CurrentReport, false);
    }

    public Task<ReconcileOutcome> RestoreAsync(CancellationToken ct) => Task.FromResult(new ReconcileOutcome(CurrentReport, false));

    public Task CleanupAsync(CancellationToken ct) => Task.CompletedTask;
}
