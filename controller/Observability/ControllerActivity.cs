using System.Diagnostics;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// The controller's spans. A span inherits the request's <c>x-correlator</c> from its in-process ancestors,
/// so every span of the trace, however deep, carries it as the <see cref="CorrelatorTag"/> tag without
/// being handed it. It is a tag, not baggage: baggage would travel in a header to every outgoing call,
/// sinks of other parties included.
/// </summary>
public static class ControllerActivity
{
    public const string SourceName = "CamaraQos.Controller";
    public const string CorrelatorTag = "camara.correlator";
    public const string AgentTag = "camaraqos.agent_id";
    public const string GenerationTag = "camaraqos.generation";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A child of the current span (or a root), tagged with the correlator its ancestors carry.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) =>
        Tagged(Source.StartActivity(name, kind), null);

    /// <summary>
    /// A child of a span remembered from earlier (a publish, an outbox row): the report of a document or a
    /// notification's delivery belongs to the trace that caused it, though it happens later, elsewhere.
    /// </summary>
    public static Activity? StartChildOf(string name, ActivityContext parent, string? correlator, ActivityKind kind = ActivityKind.Internal) =>
        Tagged(Source.StartActivity(name, kind, parent), correlator);

    /// <summary>The correlator in force for the current span, if the request that started the trace gave one.</summary>
    public static string? CurrentCorrelator => Inherited(Activity.Current);

    /// <summary>Marks a span (the request's own) as carrying <paramref name="correlator"/>, for itself and its descendants.</summary>
    public static void SetCorrelator(Activity? activity, string correlator)
    {
        activity?.SetTag(CorrelatorTag, correlator);
    }

    private static Activity? Tagged(Activity? activity, string? correlator)
    {
        if (activity is not null && (correlator ?? Inherited(activity.Parent)) is { } value)
        {
            SetCorrelator(activity, value);
        }
        return activity;
    }

    private static string? Inherited(Activity? activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            if (a.GetTagItem(CorrelatorTag) is string correlator)
            {
                return correlator;
            }
        }
        return null;
    }
}
