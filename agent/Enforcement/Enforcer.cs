using CamaraQos.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The reconciler: desired document → kernel model → difference against what was applied → one nft
/// libnftables transaction and, when the trees change, the changed tc objects over rtnetlink → read back → report. Serialised by one gate; bad input never throws.
/// </summary>
internal sealed partial class Enforcer : IEnforcer
{
    private readonly EnforcementOptions _options;
    private readonly AgentIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ICapabilityProbe _probe;
    private readonly ILogger<Enforcer> _log;
    private readonly KernelApplier _kernel;
    private readonly DesiredStateStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TypedPolicyCache _typed = new();

    private AcceptedDocument? _accepted;
    private KernelModel? _applied;
    private string? _kernelHash;
    private string? _leafKind;
    private HashSet<string> _expired = new(StringComparer.Ordinal);
    private ReportedState _report;

    // After a failed apply the same document is tried again, 1 s later, then 2, 4 … up to RetryMax:
    // a transient kernel error heals without waiting for the controller to send a new document.
    public static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(60);
    private TimeSpan _retryDelay;

    /// <summary>Bound on the capability probe (some twenty processes, each well under a second on a loaded gateway).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private DateTimeOffset? _retryAt;

    public Enforcer(IOptions<EnforcementOptions> options, AgentIdentity identity, TimeProvider time,
        ICapabilityProbe probe, INftables nft, ITrafficControl tc, ICommandRunner runner, ILogger<Enforcer> log)
    {
        _options = options.Value;
        _identity = identity;
        _time = time;
        _probe = probe;
        _log = log;
        _kernel = new KernelApplier(nft, tc, runner, _options, time, log);
        _store = new DesiredStateStore(_options);
        _report = new ReportedState(Contract.SchemaVersion, identity.AgentId, identity.BootEpoch, 0,
            time.GetUtcNow(), [], "", null);
    }

    public ReportedState CurrentReport => Volatile.Read(ref _report);

    public IReadOnlyList<FlowMonitor> Monitors => Volatile.Read(ref _accepted)?.State.Monitors ?? [];

    public event Action<ReportedState>? Reported;

    public async Task<ReconcileOutcome> SubmitAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var read = DocumentReader.Read(payload.Span, _options, _typed);
            if (read.Document is not { } doc)
            {
                return Reject(read.Generation, read.Reason ?? "rejected");
            }
            var generation = doc.State.Generation;
            if (_accepted is { } current && generation < current.State.Generation)
            {
                return Reject(generation, $"generation {generation} older than applied {current.State.Generation}");
            }
            if (_accepted is { } same && generation == same.State.Generation)
            {
                return new ReconcileOutcome(_report, false);
            }
            try
            {
                await _store.StageAsync(payload, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Reject(generation, $"cannot persist the document: {e.Message}");
            }
            _accepted = doc;
            return await ReconcileAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReconcileOutcome> RestoreAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (committed, staged) = await _store.LoadAsync(ct);
            var read = committed is null ? null : DocumentReader.Read(committed, _options, _typed);
            // A staged document is a crash between accepting it and committing it: newer and complete, it wins.
            if (staged is not null && DocumentReader.Read(staged, _options, _typed) is { Document: { } newer } s
                && (read?.Document is not { } old || newer.State.Generation > old.State.Generation))
            {
                read = s;
                await _store.StageAsync(staged, ct);
            }
            _accepted = read?.Document;
            var outcome = await ReconcileAsync(ct);
            return read is { Document: null } bad ? Reject(bad.Generation, $"persisted document: {bad.Reason}") : outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReconcileOutcome?> ExpireAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_accepted is not { } doc)
            {
                return null;
            }
            var now = _time.GetUtcNow();
            var newlyExpired = doc.Policies.Any(p => !p.IsActiveAt(now) && !_expired.Contains(p.Id));
            var retry = _retryAt is { } at && now >= at;
            return newlyExpired || retry ? await ReconcileAsync(ct) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task CleanupAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await _kernel.CleanupAsync(ct);
            _applied = null;
            _kernelHash = null;
            EnforcementLog.CleanedUp(_log, string.Join(',', _options.LanInterfaces.Prepend(_options.WanInterface)));
        }
        finally
        {
            _gate.Release();
        }
    }
}
