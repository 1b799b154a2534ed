using System.Text.Json;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>A desired document that passed every check, with its policies typed.</summary>
public sealed record AcceptedDocument(DesiredState State, IReadOnlyList<TypedPolicy> Policies);

/// <summary>Either an accepted document or why it was refused (docs/ARCHITECTURE.md §4: rejected with a report).</summary>
public sealed record ReadResult(AcceptedDocument? Document, long? Generation, string? Reason);

/// <summary>Parses and validates the whole document; one bad value rejects all of it, nothing half-applied.</summary>
internal static class DocumentReader
{
    /// <param name="cache">Typed policies of the last accepted document, reused where unchanged; updated when this one is accepted.</param>
    public static ReadResult Read(ReadOnlySpan<byte> payload, EnforcementOptions options, TypedPolicyCache? cache = null)
    {
        if (payload.Length > options.MaxDocumentBytes)
        {
            return Reject(null, $"document of {payload.Length} bytes exceeds the limit of {options.MaxDocumentBytes}");
        }
        DesiredState? state;
        try
        {
            state = JsonSerializer.Deserialize(payload, ContractJson.Default.DesiredState);
        }
        catch (JsonException e)
        {
            return Reject(null, $"malformed JSON: {e.Message}");
        }
        if (state is null)
        {
            return Reject(null, "malformed JSON: null document");
        }
        var result = Validate(state, options, cache);
        if (result.Document is null)
        {
            cache?.Discard();
        }
        else
        {
            cache?.Accept();
        }
        return result;
    }

    private static ReadResult Validate(DesiredState state, EnforcementOptions options, TypedPolicyCache? cache)
    {
        if (state.SchemaVersion != Contract.SchemaVersion)
        {
            return Reject(state.Generation, $"unknown schema version {state.SchemaVersion} (expected {Contract.SchemaVersion})");
        }
        if (state.Generation < 0)
        {
            return Reject(state.Generation, $"negative generation {state.Generation}");
        }
        var policies = state.Policies ?? [];
        if (policies.Count > options.MaxPolicies)
        {
            return Reject(state.Generation, $"{policies.Count} policies exceed the limit of {options.MaxPolicies}");
        }
        var typed = new List<TypedPolicy>(policies.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in policies)
        {
            try
            {
                var wire = p ?? throw new PolicyException("null policy");
                var t = cache is null ? PolicyTyper.Type(wire) : cache.Type(wire);
                if (!ids.Add(t.Id))
                {
                    return Reject(state.Generation, $"duplicate policy id {t.Id}");
                }
                typed.Add(t);
            }
            catch (PolicyException e)
            {
                return Reject(state.Generation, e.Message);
            }
        }
        var normalized = state with { Policies = policies, Monitors = state.Monitors ?? [] };
        return new ReadResult(new AcceptedDocument(normalized, typed), state.Generation, null);
    }

    private static ReadResult Reject(long? generation, string reason) => new(null, generation, reason);
}
