namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The last accepted desired document on disk, so QoS is enforced after a reboot before the broker answers
/// (docs/ARCHITECTURE.md §4). Two steps around the kernel transaction, so the fsync (~14 ms at 1,000 policies
/// on a slow disk) is not between a document and the kernel state it asks for:
/// <list type="number">
/// <item><see cref="StageAsync"/>, before: the bytes to <c>desired.json.tmp</c>, no fsync (page cache only).</item>
/// <item><see cref="CommitAsync"/>, after the transaction and before the report says Applied: fsync, then
/// rename(2) over <c>desired.json</c> (atomic: the old or the new document, never half of one).</item>
/// </list>
/// Why this is safe: the on-disk document must never be older than what a restart should enforce. An agent
/// that dies between the two steps (the kernel may already hold the new state) left the staged file in the
/// page cache, which survives a process crash; <see cref="LoadAsync"/> prefers it when it is a complete valid
/// document of a newer generation. A power loss between the two may lose the staged bytes (it also loses the
/// kernel state); the older <c>desired.json</c> is then restored, which is what the controller last saw
/// confirmed, since no report of the newer generation left before the commit, and the broker re-sends the
/// newer one.
/// </summary>
internal sealed class DesiredStateStore(EnforcementOptions options)
{
    public string Path => System.IO.Path.Combine(options.StateDirectory, "desired.json");

    private string Staged => Path + ".tmp";

    private bool _pending;

    public async Task StageAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Directory.CreateDirectory(options.StateDirectory);
        await File.WriteAllBytesAsync(Staged, payload, ct);
        _pending = true;
    }

    /// <summary>Makes the staged document durable, if one is waiting; else nothing.</summary>
    public void Commit()
    {
        if (!_pending)
        {
            return;
        }
        using (var f = new FileStream(Staged, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            f.Flush(flushToDisk: true);
        }
        File.Move(Staged, Path, overwrite: true);
        _pending = false;
    }

    /// <summary>The committed document and, if a staged one was left by a crash, that one too (validity is the reader's).</summary>
    public async Task<(byte[]? Committed, byte[]? Staged)> LoadAsync(CancellationToken ct) =>
        (File.Exists(Path) ? await File.ReadAllBytesAsync(Path, ct) : null,
         File.Exists(Staged) ? await File.ReadAllBytesAsync(Staged, ct) : null);
}
