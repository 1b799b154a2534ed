using CamaraQos.Agent.Tests.Control;
using CamaraQos.Agent.Tests.Enforcement;
using CamaraQos.Agent.Tests.Measurement;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// SLOW TEST (one NativeAOT cross-publish for linux-arm64: a minute on an idle machine, several on a loaded
/// one; the only arm64 publish of a test run). Builds the arm64 .deb with Debian's cross toolchain and runs its
/// binary under qemu-aarch64 (user mode, the aarch64 libc from libc6-arm64-cross). qemu-user does not translate
/// rtnetlink neighbour dumps, so the smoke run stays with what needs no kernel state: the configuration path, a
/// desired document rendered with --render and a capture replayed with --read-pcap.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PackagingCollection.Name)]
public sealed class Arm64PackageTests : IDisposable
{
    private const string Qemu = "/usr/bin/qemu-aarch64";
    private const string Sysroot = "/usr/aarch64-linux-gnu";
    private const ushort EmAarch64 = 183;   // e_machine, elf(5)

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cqc-arm64-");

    [Fact]
    public async Task TheArm64DebBuildsWithTheCrossToolchainAndItsAgentRunsUnderQemu()
    {
        RequireCrossToolchain();
        var build = (await Command.RunAsync("bash",
            [Command.RepoPath("packaging/build-deb.sh"), "--rid", "linux-arm64", "--version", "0.0.1~test", "--output", _work.FullName],
            TimeSpan.FromMinutes(30))).EnsureSuccess("build-deb.sh --rid linux-arm64");
        var deb = build.Stdout.Trim().Split('\n')[^1];
        Assert.Equal(Path.Combine(_work.FullName, "camaraqos-agent_0.0.1~test_arm64.deb"), deb);
        var root = Path.Combine(_work.FullName, "root");
        (await Command.RunAsync("dpkg-deb", ["-x", deb, root])).EnsureSuccess("dpkg-deb -x");
        var control = (await Command.RunAsync("dpkg-deb", ["-f", deb])).EnsureSuccess("dpkg-deb -f").Stdout;
        Assert.Contains("Architecture: arm64\n", control, StringComparison.Ordinal);
        var binary = Path.Combine(root, "usr/lib/camaraqos/camaraqos-agent");
        Assert.Equal(EmAarch64, await MachineAsync(binary));
        TestContext.Current.TestOutputHelper?.WriteLine($"arm64 agent binary: {new FileInfo(binary).Length} bytes");

        // It starts: the generic host, the layered configuration and the composition root, on arm64.
        var start = await UnderQemuAsync(binary, "--config", "/nonexistent/agent.json", "--Mqtt:Host=127.0.0.1");
        Assert.Equal(2, start.ExitCode);
        Assert.Contains("camaraqos-agent: configuration error: Agent:Id: is required", start.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", start.Stderr, StringComparison.Ordinal);

        // It renders: a desired document through the reader and planner, the kernel commands printed (no netlink).
        var render = await UnderQemuAsync(binary, ["--render", RenderCommandTests.WriteDocument(_work.FullName), .. RenderCommandTests.RenderKeys]);
        Assert.Equal(0, render.ExitCode);
        Assert.Contains("table inet camaraqos", render.Stdout, StringComparison.Ordinal);
        Assert.Contains("# generation 3: 2 policies, 2 active at ", render.Stdout, StringComparison.Ordinal);
        Assert.Empty(render.Stderr);

        // It measures: the same samples as the x64 agent from the same capture (PcapReplayTests).
        var replay = await UnderQemuAsync(binary, "--read-pcap", PcapReplayTests.WriteCapture(_work.FullName), "--lan-prefix", "192.168.1.0/24");
        Assert.Equal(0, replay.ExitCode);
        Assert.Equal(
        [
            "rtt 0.030000 192.168.1.10:50000 203.0.113.5:443 WAN ts 30.000",
            "rtt 0.032500 192.168.1.10:50000 203.0.113.5:443 LAN ts 2.500",
            "rtt 0.065000 192.168.1.10:50001 203.0.113.5:80 WAN seq 25.000",
        ], replay.Stdout.Split('\n').Where(l => l.StartsWith("rtt ", StringComparison.Ordinal)));
        Assert.Contains("packets 5 ignored 0 samples 3 in ", replay.Stdout, StringComparison.Ordinal);
        Assert.Empty(replay.Stderr);
    }

    private static Task<CommandResult> UnderQemuAsync(string binary, params string[] args) =>
        Command.RunAsync(Qemu, ["-L", Sysroot, binary, .. args], TimeSpan.FromMinutes(2));

    private static async Task<ushort> MachineAsync(string binary)
    {
        var header = new byte[20];
        await using (var file = File.OpenRead(binary))
        {
            await file.ReadExactlyAsync(header);
        }
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        return BitConverter.ToUInt16(header, 18);
    }

    /// <summary>tests/run.sh installs these; outside CI a machine without them skips, in CI that fails.</summary>
    private static void RequireCrossToolchain()
    {
        string[] tools = ["/usr/bin/clang", "/usr/bin/ld.lld", "/usr/bin/aarch64-linux-gnu-gcc", Qemu, Sysroot + "/lib/ld-linux-aarch64.so.1"];
        if (tools.FirstOrDefault(t => !File.Exists(t)) is not { } missing)
        {
            return;
        }
        var reason = $"{missing} is missing: apt-get install clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user.";
        if (Privileged.InCi)
        {
            Assert.Fail(reason + " CI installs them (tests/run.sh); this must not be skipped.");
        }
        Assert.Skip(reason);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
