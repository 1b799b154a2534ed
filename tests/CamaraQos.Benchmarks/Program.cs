using CamaraQos.Benchmarks;

// The benchmarks of docs/BENCHMARKS.md. By default the controller's: the real controller in a child
// process, a simulated fleet on its broker, then throughput (pairs vs trivial, side by side) and
// create → AVAILABLE latency. `measurement` runs the agent's measurement engine benchmark instead.
if (args is ["measurement", .. var rest])
{
    return await CamaraQos.Benchmarks.Measurement.MeasurementBench.RunAsync(rest);
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

await using var controller = ControllerProcess.Start(permitLimit: 100_000_000, options.SyncConfirmMs);
Console.WriteLine($"controller pid {controller.ProcessId}: http {controller.BaseAddress}, mqtt 127.0.0.1:{controller.MqttPort}");
using (var probe = Api.Pooled(controller.BaseAddress, 1))
{
    await controller.WaitReadyAsync(probe, TimeSpan.FromSeconds(60));
}
using var admin = await Api.LoginAsync(controller.BaseAddress, 8, "sandbox-admin", "sandbox-admin-secret");
using var api = await Api.LoginAsync(controller.BaseAddress, Math.Max(options.Workers, options.LatencyConcurrency), "sandbox-client", "sandbox-secret");

Console.WriteLine($"registering and connecting {options.Agents} simulated agents…");
var (fleet, register, connect) = await Fleet.StartAsync(admin, "127.0.0.1", controller.MqttPort, options.Agents, ct);
await using (fleet)
{
    var duration = TimeSpan.FromSeconds(options.Seconds);
    Console.WriteLine("warming up (1 s each), then trivial and pairs for " + duration.TotalSeconds + " s each…");
    await Throughput.TrivialAsync(api, options.Workers, TimeSpan.FromSeconds(1));
    await Throughput.PairsAsync(api, options.Workers, options.Agents, TimeSpan.FromSeconds(1));
    var trivial = await Throughput.TrivialAsync(api, options.Workers, duration);
    var pairs = await Throughput.PairsAsync(api, options.Workers, options.Agents, duration);
    Console.WriteLine($"creating {options.Sessions} sessions, {options.LatencyConcurrency} in flight…");
    var latency = await Latency.RunAsync(api, options.Sessions, options.LatencyConcurrency, ct);
    Report.Print(options, register, connect, trivial, pairs, latency);
}
return 0;
