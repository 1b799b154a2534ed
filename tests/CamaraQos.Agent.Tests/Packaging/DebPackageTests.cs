using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Tests.Control;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// SLOW TEST (NativeAOT publish: ~30 s on an idle machine, a few minutes on a loaded one). Builds the real
/// .deb with packaging/build-deb.sh and "installs" it by unpacking into a throwaway root (dpkg-deb -x): its
/// postinst calls adduser, which has no DPKG_ROOT mode, so dpkg cannot install it elsewhere than on this machine.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PackagingCollection.Name)]
public class DebPackageTests
{
    [Fact]
    public async Task TheDebInstallsTheAotAgentASystemdUnitThatSystemdAnalyzeAcceptsAndTheSampleConfig()
    {
        var work = Directory.CreateTempSubdirectory("cqc-deb-");
        try
        {
            var build = (await Command.RunAsync("bash",
                [Command.RepoPath("packaging/build-deb.sh"), "--version", "0.0.1~test", "--output", work.FullName],
                TimeSpan.FromMinutes(15))).EnsureSuccess("build-deb.sh");
            var deb = build.Stdout.Trim().Split('\n')[^1];
            Assert.Equal(Path.Combine(work.FullName, "camaraqos-agent_0.0.1~test_amd64.deb"), deb);
            var root = Path.Combine(work.FullName, "root");
            (await Command.RunAsync("dpkg-deb", ["-x", deb, root])).EnsureSuccess("dpkg-deb -x");
            (await Command.RunAsync("dpkg-deb", ["-e", deb, Path.Combine(root, "DEBIAN")])).EnsureSuccess("dpkg-deb -e");

            await AssertAotBinaryAsync(Path.Combine(root, "usr/lib/camaraqos/camaraqos-agent"));
            AssertUnit(File.ReadAllText(Path.Combine(root, "lib/systemd/system/camaraqos-agent.service")));
            var verify = await SystemdVerify.VerifyAsync(root, "lib/systemd/system/camaraqos-agent.service");
            Assert.Equal((0, ""), (verify.ExitCode, verify.Stdout + verify.Stderr));
            AssertSampleConfigIsValid(Path.Combine(root, "etc/camaraqos/agent.json"));
            var control = File.ReadAllText(Path.Combine(root, "DEBIAN/control"));
            Assert.Contains("Package: camaraqos-agent\n", control, StringComparison.Ordinal);
            Assert.Contains("Version: 0.0.1~test\n", control, StringComparison.Ordinal);
            Assert.Contains("Architecture: amd64\n", control, StringComparison.Ordinal);
            Assert.Contains("libpcap0.8", control, StringComparison.Ordinal);
            Assert.Equal("/etc/camaraqos/agent.json\n", File.ReadAllText(Path.Combine(root, "DEBIAN/conffiles")));
            foreach (var script in (string[])["postinst", "prerm", "postrm"])
            {
                Assert.True(File.GetUnixFileMode(Path.Combine(root, "DEBIAN", script)).HasFlag(UnixFileMode.UserExecute), script);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task AssertAotBinaryAsync(string binary)
    {
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.OtherExecute));
        var magic = new byte[4];
        await using (var file = File.OpenRead(binary))
        {
            await file.ReadExactlyAsync(magic);
        }
        Assert.Equal("\u007fELF"u8.ToArray(), magic);
        Assert.False(File.Exists(Path.ChangeExtension(binary, ".dll")), "a NativeAOT agent ships no IL assembly");
        // The native agent starts, reads the layered configuration and names the missing key.
        var run = await Command.RunAsync(binary, ["--config", "/nonexistent/agent.json"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Agent:Id: is required", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    private static void AssertUnit(string unit)
    {
        Assert.Contains("Type=notify\n", unit, StringComparison.Ordinal);
        Assert.Contains("WatchdogSec=", unit, StringComparison.Ordinal);
        Assert.Matches(@"\nAfter=[^\n]*\btime-sync\.target\b", unit);
        Assert.Contains("ExecStart=/usr/lib/camaraqos/camaraqos-agent --config /etc/camaraqos/agent.json\n", unit, StringComparison.Ordinal);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW\n", unit, StringComparison.Ordinal);
        Assert.Contains("AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW\n", unit, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=camaraqos\n", unit, StringComparison.Ordinal);
        Assert.Contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET\n", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("\nExecStopPost=", unit, StringComparison.Ordinal); // kernel state survives restarts
    }

    private static void AssertSampleConfigIsValid(string path)
    {
        var config = new ConfigurationBuilder().AddJsonFile(path).Build();
        var settings = AgentSettings.Load(config);
        Assert.True(settings.MqttUseTls);
    }
}
