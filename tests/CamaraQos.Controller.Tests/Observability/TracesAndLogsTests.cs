using System.Diagnostics;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.Observability;

public sealed class TracesAndLogsTests : IAsyncLifetime
{
    private const string CorrelatorTag = "camara.correlator";
    private readonly SpanLog _spans = new();
    private readonly LogCapture _logs = new();
    private QodHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = ObservedHost.Create(_spans, _logs);
        await _host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task OneTraceFollowsASessionFromItsPostThroughPublishReportConfirmationAndDelivery()
    {
        await using var sink = await SinkRecorder.StartAsync();
        using var client = await _host.ClientAsync(checkContract: false);
        var id = await MetricsTests.CreateSessionAsync(client, sink.Url, "trace-corr-1");
        await Eventually.TrueAsync(() => sink.EventsFor(id).Any(), "the AVAILABLE notification");
        // Spans are exported as they end, and the delivery may end before the confirmation (which republishes) does.
        string[] expected = ["desired.publish", "agent.report", "qod.session.confirm", "notification.deliver"];
        await Eventually.TrueAsync(() => TraceOf("trace-corr-1") is { } t && expected.All(name => t.Any(s => s.OperationName == name)), "every span of the trace");

        var trace = TraceOf("trace-corr-1")!;
        var post = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /quality-on-demand/v1/sessions");
        var publishes = trace.Where(s => s.OperationName == "desired.publish").ToList();
        var report = Assert.Single(trace, s => s.OperationName == "agent.report" && publishes.Any(p => p.SpanId == s.ParentSpanId) && HasConfirmChild(trace, s));
        var confirm = Assert.Single(trace, s => s.OperationName == "qod.session.confirm");
        var deliver = Assert.Single(trace, s => s.OperationName == "notification.deliver");
        Assert.Equal(post.SpanId, publishes[0].ParentSpanId);
        Assert.Equal(report.SpanId, confirm.ParentSpanId);
        Assert.Equal(confirm.SpanId, deliver.ParentSpanId);
        Assert.Equal("sandbox-gw-1", report.GetTagItem("camaraqos.agent_id"));
        // The outbox's POST to the sink, by HttpClient, inside the delivery span.
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == deliver.SpanId && s.DisplayName == "POST");
        Assert.All(trace.Where(s => s.Source.Name == "CamaraQos.Controller"), s => Assert.Equal("trace-corr-1", Tag(s)));
    }

    [Fact]
    public async Task ARequestsLogLinesCarryItsCorrelatorAndClientAndAnAgentsCarryTheAgent()
    {
        await using var sink = await SinkRecorder.StartAsync();
        using var client = await _host.ClientAsync(checkContract: false);
        var id = await MetricsTests.CreateSessionAsync(client, sink.Url, "logs-corr-1");

        var created = Assert.Single(_logs.Entries, e => e.Message.Contains($"Session {id} created", StringComparison.Ordinal));
        Assert.Equal("logs-corr-1", created.Scope["Correlator"]);
        Assert.Equal("sandbox-client", created.Scope["ClientId"]);
        Assert.Contains(_logs.Entries, e => e.Category.EndsWith("AgentMessageHandler", StringComparison.Ordinal)
            && e.Message.StartsWith("Agent sandbox-gw-2 online", StringComparison.Ordinal) && Equals(e.Scope.GetValueOrDefault("AgentId"), "sandbox-gw-2"));
    }

    /// <summary>Every finished span of the trace whose request span carries <paramref name="correlator"/>.</summary>
    private List<Activity>? TraceOf(string correlator) =>
        _spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && Tag(s) == correlator) is { } root
            ? [.. _spans.Where(s => s.TraceId == root.TraceId)]
            : null;

    private static string? Tag(Activity span) => span.GetTagItem(CorrelatorTag) as string;

    private static bool HasConfirmChild(List<Activity> trace, Activity report) =>
        trace.Any(s => s.OperationName == "qod.session.confirm" && s.ParentSpanId == report.SpanId);
}
