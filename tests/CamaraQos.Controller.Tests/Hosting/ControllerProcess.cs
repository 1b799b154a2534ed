using System.Diagnostics;
using CamaraQos.Controller.Hosting;
using Xunit;

namespace CamaraQos.Controller.Tests.Hosting;

/// <summary>The real controller process (the test's build of it), for what only a process shows: exit codes, stderr.</summary>
public static class ControllerProcess
{
    /// <summary>
    /// Starts the controller with <paramref name="args"/> (after defaults that make it start: loopback, free
    /// ports, a temp database) and expects it to refuse: exit code 2 and one stderr line, which is returned.
    /// With <paramref name="quiet"/> nothing else is printed; a value the configuration binder cannot convert
    /// is not quiet: the host logs its failure with the binder's exception before the line.
    /// </summary>
    public static async Task<string> RefusesToStartAsync(string[] args, bool quiet = true)
    {
        var state = Directory.CreateTempSubdirectory("camaraqos-startup-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "camaraqos-controller.dll"));
            start.ArgumentList.Add("--urls=http://127.0.0.1:0");
            start.ArgumentList.Add("--Mqtt:Port=0");
            start.ArgumentList.Add($"--Storage:ConnectionString=Data Source={Path.Combine(state.FullName, "camaraqos.db")}");
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The controller started instead of refusing: {string.Join(' ', args)}");
            }

            Assert.True(process.ExitCode == StartupFailure.ConfigurationExitCode, $"exit code {process.ExitCode}: {await stderr}");
            var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("camaraqos-controller: configuration error: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            if (quiet)
            {
                Assert.DoesNotContain("Exception", await stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
            }
            return line;
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }
}
