using System.Collections.Concurrent;
using System.Diagnostics;

namespace CamaraQos.Benchmarks;

/// <summary>Per session: how long the 201 took, what it said, and when the session was first seen AVAILABLE.</summary>
public sealed record LatencyResult(IReadOnlyList<double> CreatedMs, IReadOnlyList<double> AvailableMs, int AvailableIn201, int Failed, string? FirstError);

/// <summary>
/// One session per gateway (gateway i, its LAN device, application server <see cref="Server"/>) with a
/// bounded number in flight. A 201 that already says AVAILABLE (the gateway confirmed within
/// <c>QualityOnDemand:SynchronousConfirmMilliseconds</c>, §5) ends the measurement; a REQUESTED one is
/// polled until AVAILABLE.
/// </summary>
public static class Latency
{
    public const string Server = "203.0.113.10";

    public static async Task<LatencyResult> RunAsync(Api api, int sessions, int concurrency, CancellationToken ct)
    {
        var created = new ConcurrentBag<double>();
        var available = new ConcurrentBag<double>();
        int in201 = 0, failed = 0;
        string? firstError = null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions), options, async (i, token) =>
        {
            try
            {
                var watch = Stopwatch.StartNew();
                var (id, status) = await api.CreateAsync(Api.SessionBody(Fleet.WanAddress(i), Server), token);
                created.Add(watch.Elapsed.TotalMilliseconds);
                if (status == "AVAILABLE")
                {
                    Interlocked.Increment(ref in201);
                    available.Add(watch.Elapsed.TotalMilliseconds);
                    return;
                }
                available.Add((await api.PollAvailableAsync(id, watch, TimeSpan.FromSeconds(30), token)).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.Message, null);
            }
        });
        return new LatencyResult([.. created], [.. available], in201, failed, firstError);
    }

    /// <summary>Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
