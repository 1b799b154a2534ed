using System.Collections.Concurrent;
using System.Diagnostics;

namespace CamaraQos.Benchmarks;

/// <summary>Operations per second of N concurrent workers looping one operation for a fixed time.</summary>
public sealed record Rate(long Operations, long Errors, TimeSpan Elapsed, string? FirstError)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}

/// <summary>Milliseconds of each half of the completed pairs.</summary>
public sealed class PairTimings
{
    private readonly ConcurrentBag<(double Create, double Delete)> _samples = [];

    public IReadOnlyList<double> CreateMs => [.. _samples.Select(s => s.Create)];
    public IReadOnlyList<double> DeleteMs => [.. _samples.Select(s => s.Delete)];

    public void Add(double create, double delete) => _samples.Add((create, delete));
}

/// <summary>
/// Create+delete pairs versus the trivial endpoint, same workers, same host, same run. Worker w only
/// uses the gateways whose index is w modulo the worker count, so no two live sessions ever share a
/// device and flow (which would be a 409), and the pairs spread over the whole fleet.
/// </summary>
public static class Throughput
{
    public const string PairServer = "203.0.113.20";

    public static Task<Rate> TrivialAsync(Api api, int workers, TimeSpan duration) =>
        RunAsync(workers, duration, (_, _, ct) => api.TrivialAsync(ct));

    /// <summary>Pairs per second, plus each half's latency so a slow side shows which it is.</summary>
    public static async Task<(Rate Rate, PairTimings Timings)> PairsAsync(Api api, int workers, int agents, TimeSpan duration)
    {
        var timings = new PairTimings();
        var rate = await RunAsync(workers, duration, async (worker, iteration, ct) =>
        {
            var slots = Math.Max(1, agents / workers);
            var agent = (worker + (int)(iteration % slots) * workers) % agents;
            var watch = Stopwatch.StartNew();
            var (id, _) = await api.CreateAsync(Api.SessionBody(Fleet.WanAddress(agent), PairServer), ct);
            var created = watch.Elapsed.TotalMilliseconds;
            await api.DeleteAsync(id, ct);
            timings.Add(created, watch.Elapsed.TotalMilliseconds - created);
        });
        return (rate, timings);
    }

    private static async Task<Rate> RunAsync(int workers, TimeSpan duration, Func<int, long, CancellationToken, Task> operation)
    {
        long operations = 0, errors = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (long i = 0; watch.Elapsed < duration; i++)
            {
                try
                {
                    await operation(worker, i, CancellationToken.None);
                    Interlocked.Increment(ref operations);
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.Message, null);
                }
            }
        })));
        return new Rate(operations, errors, watch.Elapsed, firstError);
    }
}
