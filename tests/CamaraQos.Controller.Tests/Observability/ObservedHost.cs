using System.Diagnostics;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace CamaraQos.Controller.Tests.Observability;

/// <summary>
/// The real controller with its sandbox fleet (a <see cref="QodHost"/>), and what it exports caught in
/// memory: spans through the InMemory exporter, log lines with their scopes, scrapes never cached.
/// </summary>
public static class ObservedHost
{
    public static QodHost Create(SpanLog spans, LogCapture logs, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Observability:StateRefreshSeconds"] = "0" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new QodHost(settings: all, services: s =>
        {
            s.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            s.AddSingleton<ILoggerProvider>(logs);
        });
    }

    public static async Task<PrometheusText> ScrapeAsync(this QodHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Finished spans, as the InMemory exporter hands them over; safe to read while the host runs.</summary>
public sealed class SpanLog : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public int Count => Snapshot().Count;
    public bool IsReadOnly => false;
    public void Clear() { lock (_spans) { _spans.Clear(); } }
    public bool Contains(Activity item) => Snapshot().Contains(item);
    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);
    public bool Remove(Activity item) { lock (_spans) { return _spans.Remove(item); } }
    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
