using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Typing is a pure function of the wire policy, and the costliest step between a document and the kernel
/// (addresses, prefixes and port lists parsed and checked for 1,000 policies). A document that differs from
/// the last accepted one in one session types that one again and reuses the others, compared field by field.
/// </summary>
internal sealed class TypedPolicyCache
{
    private Dictionary<string, (Policy Wire, TypedPolicy Typed)> _accepted = new(StringComparer.Ordinal);
    private Dictionary<string, (Policy Wire, TypedPolicy Typed)> _reading = new(StringComparer.Ordinal);

    public TypedPolicy Type(Policy p)
    {
        if (p.Id is not null && _accepted.TryGetValue(p.Id, out var known) && Same(known.Wire, p))
        {
            _reading[p.Id] = known;
            return known.Typed;
        }
        var typed = PolicyTyper.Type(p);
        _reading[typed.Id] = (p, typed);
        return typed;
    }

    /// <summary>The document just read was accepted: its policies are what the next one is compared with.</summary>
    public void Accept() => (_accepted, _reading) = (_reading, new(StringComparer.Ordinal));

    /// <summary>The document just read was refused: the last accepted one stays the reference.</summary>
    public void Discard() => _reading.Clear();

    // Record equality for every scalar field (so a field added later is compared too), sequences by content.
    private static bool Same(Policy a, Policy b) =>
        a.Match is { } x && b.Match is { } y
        && a with { Match = null! } == b with { Match = null! }
        && x with { ServerIps = null, DevicePorts = null, ServerPorts = null } == y with { ServerIps = null, DevicePorts = null, ServerPorts = null }
        && Same(x.ServerIps, y.ServerIps) && Same(x.DevicePorts, y.DevicePorts) && Same(x.ServerPorts, y.ServerPorts);

    private static bool Same<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}
