using System.Collections.Concurrent;
using System.Diagnostics;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// What the controller remembers of each desired document it published until the agent reports on it:
/// the span that published it, so the report (which arrives later over MQTT, with no trace context of its
/// own: the agent contract carries none) continues that trace; and its outcome, counted once. In memory
/// and bounded: the last <see cref="PerAgent"/> documents per agent; a report on a forgotten document
/// (another controller published it, or this one restarted) simply starts its own trace and is not counted.
/// </summary>
public sealed class PublishedDocuments(ControllerMetrics metrics)
{
    /// <summary>A published document: its generation, the publishing span and the request's correlator.</summary>
    public sealed record Published(long Generation, ActivityContext Context, string? Correlator);

    internal const int PerAgent = 16;

    private readonly ConcurrentDictionary<string, List<Published>> _agents = new(StringComparer.Ordinal);

    public void Remember(string agentId, long generation, Activity? publishing)
    {
        var entry = new Published(generation, publishing?.Context ?? default, ControllerActivity.CurrentCorrelator);
        var documents = _agents.GetOrAdd(agentId, _ => []);
        lock (documents)
        {
            documents.Add(entry);
            if (documents.Count > PerAgent)
            {
                documents.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Settles the documents this report answers and returns the one it is about, if remembered: a rejection
    /// of a remembered generation (not yet superseded), else the observed generation, applied unless a
    /// policy failed. Older documents the report supersedes are forgotten uncounted: the agent skipped them.
    /// </summary>
    public Published? Settle(ReportedState reported)
    {
        if (!_agents.TryGetValue(reported.AgentId, out var documents))
        {
            return null;
        }
        lock (documents)
        {
            if (reported.LastRejection?.Generation is { } rejected && rejected > reported.ObservedGeneration
                && documents.FindIndex(d => d.Generation == rejected) is var r and >= 0)
            {
                var document = documents[r];
                documents.RemoveAt(r);
                metrics.DesiredOutcome(ControllerMetrics.Rejected);
                return document;
            }
            var observed = documents.Find(d => d.Generation == reported.ObservedGeneration);
            documents.RemoveAll(d => d.Generation <= reported.ObservedGeneration);
            if (observed is not null)
            {
                metrics.DesiredOutcome(reported.Policies.Any(p => p.Outcome == PolicyOutcome.Failed) ? ControllerMetrics.Failed : ControllerMetrics.Applied);
            }
            return observed;
        }
    }
}
