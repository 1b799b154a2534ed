using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

internal sealed partial class Enforcer
{
    /// <summary>Enforces <see cref="_accepted"/> (or the empty baseline: trees at line rate, no policies).</summary>
    private async Task<ReconcileOutcome> ReconcileAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var policies = _accepted?.Policies ?? [];
        var active = policies.Where(p => p.IsActiveAt(now)).ToList();
        var expired = policies.Where(p => !p.IsActiveAt(now)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var desired = KernelModel.Plan(active, _options, await LeafKindAsync(ct));
        var generation = _accepted?.State.Generation ?? 0;
        var (changed, error) = await ApplyAsync(desired, ct);
        error ??= Commit();
        if (changed || _kernelHash is null)
        {
            // What the kernel holds is compared with what was meant only after a successful apply.
            var (hash, difference) = await ReadBackAsync(error is null ? desired : null, ct);
            _kernelHash = hash;
            error ??= difference;
        }
        if (error is null)
        {
            _applied = desired;
            (_retryDelay, _retryAt) = (TimeSpan.Zero, null);
        }
        else
        {
            // The nft buffer is atomic, but a tc batch may stop half-way, a call may time out and a read-back
            // may differ: forget what we think is applied, redo all next time.
            _applied = changed || error.StartsWith("read-back", StringComparison.Ordinal) ? null : _applied;
            _retryDelay = _retryDelay == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(2 * _retryDelay.Ticks, RetryMax.Ticks));
            _retryAt = _time.GetUtcNow() + _retryDelay;   // after the failure, which may have waited out a timeout
            EnforcementLog.ApplyFailed(_log, generation, error);
        }
        _expired = expired;
        var results = policies.Select(p => expired.Contains(p.Id)
            ? new PolicyResult(p.Id, PolicyOutcome.Expired, $"notAfter {p.NotAfter:O} passed")
            : new PolicyResult(p.Id, error is null ? PolicyOutcome.Applied : PolicyOutcome.Failed, error)).ToList();
        var report = _report with { ObservedGeneration = generation, At = now, Policies = results, KernelHash = _kernelHash };
        EnforcementLog.Applied(_log, generation, active.Count, expired.Count, changed, _kernelHash);
        return Publish(report, changed);
    }

    private async Task<(bool Changed, string? Error)> ApplyAsync(KernelModel desired, CancellationToken ct)
    {
        try
        {
            return await _kernel.ApplyAsync(desired, _applied, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (true, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>After the transaction, before any report: the accepted document made durable (DesiredStateStore).</summary>
    private string? Commit()
    {
        try
        {
            _store.Commit();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot persist the document: {e.Message}";
        }
    }

    private async Task<(string Hash, string? Difference)> ReadBackAsync(KernelModel? meant, CancellationToken ct)
    {
        try
        {
            return await _kernel.ReadBackAsync(meant, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (_kernelHash ?? "unknown", $"read-back: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<string> LeafKindAsync(CancellationToken ct)
    {
        if (_leafKind is null)
        {
            try
            {
                _leafKind = TcRenderer.ChooseLeaf([.. (await ProbeBoundedAsync(ct)).Qdiscs]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                EnforcementLog.ProbeFailed(_log, e);
                _leafKind = "bfifo";
            }
        }
        return _leafKind;
    }

    /// <summary>
    /// The probe runs some twenty short processes under the gate; one that hangs must not hold every apply and the
    /// expiry for ever (issue 13: no kernel call without a bound). Given up after <see cref="ProbeTimeout"/>.
    /// </summary>
    private async Task<AgentCapabilities> ProbeBoundedAsync(CancellationToken ct)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            return await _probe.ProbeAsync(giveUp.Token).WaitAsync(ProbeTimeout, _time, ct);
        }
        catch (TimeoutException)
        {
            await giveUp.CancelAsync();
            throw new KernelTimeoutException($"the capability probe did not answer within {ProbeTimeout.TotalSeconds:F0} s");
        }
    }

    private ReconcileOutcome Reject(long? generation, string reason)
    {
        EnforcementLog.Rejected(_log, generation, reason);
        var now = _time.GetUtcNow();
        return Publish(_report with { At = now, LastRejection = new Rejection(generation, reason, now) }, false);
    }

    private ReconcileOutcome Publish(ReportedState report, bool changed)
    {
        Volatile.Write(ref _report, report);
        try
        {
            Reported?.Invoke(report);
        }
        catch (Exception e)
        {
            EnforcementLog.HandlerFailed(_log, e);
        }
        return new ReconcileOutcome(report, changed);
    }
}
