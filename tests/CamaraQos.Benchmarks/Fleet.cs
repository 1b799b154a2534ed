using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Shared;

namespace CamaraQos.Benchmarks;

/// <summary>
/// N simulated gateways: registered through the admin API (<c>PUT /admin/v1/agents/{id}</c>), then
/// connected to the controller's embedded broker as <see cref="SimulatedAgent"/>s that confirm every
/// desired generation. Gateway i has WAN 100.64.x.y (unique) and one LAN device, <see cref="LanDeviceIp"/>.
/// </summary>
public sealed class Fleet(IReadOnlyList<SimulatedAgent> agents) : IAsyncDisposable
{
    public const string LanDeviceIp = "192.168.1.10";
    private const string Prefix = "bench-gw-";

    public IReadOnlyList<SimulatedAgent> Agents => agents;

    public static string AgentId(int i) => $"{Prefix}{i:D5}";

    /// <summary>RFC 6598 shared address space, one address per gateway (i &lt; 65,000).</summary>
    public static string WanAddress(int i) => $"100.64.{(i + 1) / 256}.{(i + 1) % 256}";

    public static async Task<(Fleet Fleet, TimeSpan Register, TimeSpan Connect)> StartAsync(
        Api admin, string brokerHost, int brokerPort, int count, CancellationToken ct)
    {
        var passwords = Enumerable.Range(0, count).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))).ToArray();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), Limit(8, ct), async (i, token) =>
        {
            using var response = await admin.Http.PutAsJsonAsync($"/admin/v1/agents/{AgentId(i)}", new { password = passwords[i] }, token);
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent))
            {
                throw new InvalidOperationException($"register {AgentId(i)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }
        });
        var register = watch.Elapsed;
        watch.Restart();
        var now = DateTimeOffset.UtcNow;
        var fleet = new Fleet([.. Enumerable.Range(0, count).Select(i => new SimulatedAgent(Birth(i, now), passwords[i]))]);
        await Parallel.ForEachAsync(fleet.Agents, Limit(16, ct), async (agent, token) => await agent.StartAsync(brokerHost, brokerPort, token));
        await WaitOnlineAsync(admin, count, TimeSpan.FromSeconds(60), ct);
        return (fleet, register, watch.Elapsed);
    }

    private static AgentStatus Birth(int i, DateTimeOffset at) =>
        SimulatedFleet.Birth(AgentId(i), at.ToUnixTimeMilliseconds(), at, WanAddress(i), null,
            new LanDevice(LanDeviceIp, $"02:64:00:{i / 256 % 256:x2}:{i % 256:x2}:10", "eth1", null));

    /// <summary>The controller has seen every birth (its directory says online), not just the broker's CONNACK.</summary>
    private static async Task WaitOnlineAsync(Api admin, int count, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var online = 0;
        while (watch.Elapsed < timeout)
        {
            var list = await admin.Http.GetFromJsonAsync<JsonElement>("/admin/v1/agents", ct);
            online = list.EnumerateArray().Count(a => a.GetProperty("agentId").GetString()!.StartsWith(Prefix, StringComparison.Ordinal)
                && a.GetProperty("online").GetBoolean());
            if (online == count)
            {
                return;
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"Only {online} of {count} simulated agents online after {timeout}.");
    }

    private static ParallelOptions Limit(int degree, CancellationToken ct) => new() { MaxDegreeOfParallelism = degree, CancellationToken = ct };

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }
}
