namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The last accepted desired document on disk, so QoS is enforced after a reboot before the broker answers
/// (docs/ARCHITECTURE.md §4). Written to a temp file, fsynced, then renamed: rename(2) is atomic, so a crash
/// leaves the old or the new document, never half of one.
/// </summary>
internal sealed class DesiredStateStore(EnforcementOptions options)
{
    public string Path => System.IO.Path.Combine(options.StateDirectory, "desired.json");

    public async Task SaveAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Directory.CreateDirectory(options.StateDirectory);
        var temp = Path + ".tmp";
        await using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
        {
            await f.WriteAsync(payload, ct);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    public async Task<byte[]?> LoadAsync(CancellationToken ct) =>
        File.Exists(Path) ? await File.ReadAllBytesAsync(Path, ct) : null;
}
