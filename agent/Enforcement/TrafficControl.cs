namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The door to tc objects: <see cref="RtnetlinkTc"/> in the agent's own process; <see cref="TcProcesses"/> (tc(8))
/// only when netlink is refused. Tests substitute a recorder or a fake kernel.
/// </summary>
public interface ITrafficControl
{
    /// <summary>Creates or replaces the objects in order, each acknowledged; stops at the first the kernel refuses.</summary>
    Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct);

    /// <summary>The qdiscs and classes the kernel holds on <paramref name="devices"/>.</summary>
    Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct);

    /// <summary>Deletes the root qdisc of <paramref name="device"/>, and with it the tree below.</summary>
    Task<TcResult> DeleteRootAsync(string device, CancellationToken ct);
}

/// <summary>Null error: done. Else the first object the kernel refused and why, in the words of the path that sent it.</summary>
public sealed record TcResult(string? Error)
{
    public static readonly TcResult Done = new((string?)null);

    public bool Ok => Error is null;
}

/// <summary>
/// Netlink itself is refused (no socket, or EOPNOTSUPP for the request): the caller falls back to tc(8). Not a
/// refusal of one object's parameters, which is a <see cref="TcResult"/> error like tc's own.
/// </summary>
public sealed class TcRefusedException(string message) : Exception(message);

/// <summary>
/// What the kernel holds per device, one line per qdisc and class. <see cref="Canonical"/>: lines in
/// <see cref="TcCanonical"/> form, comparable with what was meant (a dump over netlink); else tc(8)'s own text
/// (the fallback), good for the hash only.
/// </summary>
public sealed record TcHeld(IReadOnlyDictionary<string, IReadOnlyList<string>> Devices, bool Canonical)
{
    /// <summary>An HTB root 1: that sends unclassified traffic to our default class: ours, kept (HTB has no change).</summary>
    public bool HoldsOurRoot(string device) => Devices.TryGetValue(device, out var lines) && lines.Any(l =>
        l.StartsWith("qdisc htb 1: root ", StringComparison.Ordinal) && l.Contains($" default 0x{HtbClass.Default:x}", StringComparison.Ordinal));

    /// <summary>An HTB root 1:, ours or left from an earlier agent with other parameters.</summary>
    public bool HoldsHtbRoot(string device) => Devices.TryGetValue(device, out var lines) &&
        lines.Any(l => l.StartsWith("qdisc htb 1: root", StringComparison.Ordinal));

    public string Text => string.Concat(Devices.OrderBy(d => d.Key, StringComparer.Ordinal)
        .Select(d => $"{d.Key}\n{string.Join('\n', d.Value)}\n"));

    /// <summary>
    /// The first difference between these devices and the <paramref name="meant"/> objects, as a read-back error;
    /// null when equal, or when the text is not canonical (there is nothing to compare it with).
    /// </summary>
    public string? Difference(IReadOnlyList<TcCommand> meant)
    {
        if (!Canonical)
        {
            return null;
        }
        foreach (var device in meant.GroupBy(c => c.Object.Device))
        {
            var want = device.Select(c => c.Object.Canonical).ToHashSet(StringComparer.Ordinal);
            var have = Devices.GetValueOrDefault(device.Key) ?? [];
            if (want.FirstOrDefault(l => !have.Contains(l)) is { } lacking)
            {
                return $"read-back: tc on {device.Key} lacks {lacking}";
            }
            if (have.FirstOrDefault(l => !want.Contains(l)) is { } extra)
            {
                return $"read-back: tc on {device.Key} holds {extra}, not meant";
            }
        }
        return null;
    }
}
