using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CamaraQos.Agent.Tests.Control;
using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// The camaraqos-controller .deb, built once and installed by dpkg into a throwaway root (<see cref="ControllerDeb"/>).
/// Needs root (dpkg) like the rest of CI; nothing of this machine is changed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PackagingCollection.Name)]
public sealed class ControllerDebPackageTests(ControllerDeb deb) : IClassFixture<ControllerDeb>
{
    private const string Unit = "/lib/systemd/system/camaraqos-controller.service";
    private const string Config = "/etc/camaraqos/controller.json";
    private const string Lib = "/usr/lib/camaraqos-controller/";

    [Fact]
    public async Task TheDebIsNamedForItsVersionAndArchitectureAndDependsOnTheRuntimesNativeLibraries()
    {
        Assert.Equal(Path.Combine(deb.Work, $"camaraqos-controller_{ControllerDeb.Version}_amd64.deb"), deb.Deb);
        var control = (await Command.RunAsync("dpkg-deb", ["-f", deb.Deb])).EnsureSuccess("dpkg-deb -f").Stdout;
        Assert.Contains("Package: camaraqos-controller\n", control, StringComparison.Ordinal);
        Assert.Contains($"Version: {ControllerDeb.Version}\n", control, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64\n", control, StringComparison.Ordinal);
        Assert.Contains("Depends: libc6, libgcc-s1, libstdc++6, libssl3, zlib1g, ca-certificates, systemd\n", control, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DpkgInstallsTheSelfContainedControllerItsUnitItsSysusersFileAndTheSampleConfigAsAConffile()
    {
        var binary = deb.InRoot(Lib + "camaraqos-controller");
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.OtherExecute));
        Assert.True(File.Exists(deb.InRoot(Lib + "libcoreclr.so")), "self-contained: the runtime ships in the package");
        Assert.True(File.Exists(deb.InRoot(Lib + "libSystem.Security.Cryptography.Native.OpenSsl.so")));
        Assert.True(File.Exists(deb.InRoot(Lib + "appsettings.json")));
        Assert.Equal("../lib/camaraqos-controller/camaraqos-controller", new FileInfo(deb.InRoot("/usr/bin/camaraqos-controller")).LinkTarget);
        Assert.True(File.Exists(deb.InRoot(Unit)));
        Assert.True(File.Exists(deb.InRoot("/usr/lib/sysusers.d/camaraqos-controller.conf")));
        Assert.Equal(File.ReadAllText(Command.RepoPath("packaging/controller.json")), File.ReadAllText(deb.InRoot(Config)));

        var status = (await Command.RunAsync("dpkg-query",
            [$"--admindir={deb.InRoot("/var/lib/dpkg")}", "-W", "-f=${Status}|${Conffiles}", "camaraqos-controller"])).EnsureSuccess("dpkg-query").Stdout;
        Assert.StartsWith("install ok installed|", status, StringComparison.Ordinal);
        Assert.Contains($" {Config} ", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePostinstCreatesTheSystemUserEnablesTheUnitAndLetsOnlyRootAndThatGroupReadTheConfig()
    {
        var user = File.ReadAllLines(deb.InRoot("/etc/passwd")).Single(l => l.StartsWith("camaraqos-controller:", StringComparison.Ordinal)).Split(':');
        var group = File.ReadAllLines(deb.InRoot("/etc/group")).Single(l => l.StartsWith("camaraqos-controller:", StringComparison.Ordinal)).Split(':');
        Assert.InRange(int.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture), 1, 999); // a system user
        Assert.Equal(group[2], user[3]);
        Assert.Equal("/var/lib/camaraqos-controller", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);

        var config = deb.InRoot(Config);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(config));
        var owner = (await Command.RunAsync("stat", ["-c", "%u:%g", config])).EnsureSuccess("stat").Stdout.Trim();
        Assert.Equal("0:" + group[2], owner);

        var wants = new FileInfo(deb.InRoot("/etc/systemd/system/multi-user.target.wants/camaraqos-controller.service"));
        Assert.Equal(Unit, wants.LinkTarget);
    }

    [Fact]
    public void TheUnitIsANotifyServiceWithAWatchdogRunAsItsOwnUserWithNoCapabilities()
    {
        var unit = File.ReadAllText(deb.InRoot(Unit));
        foreach (var line in (string[])[
            "Type=notify", "WatchdogSec=30s", "Restart=on-failure",
            "ExecStart=/usr/lib/camaraqos-controller/camaraqos-controller --config /etc/camaraqos/controller.json",
            "User=camaraqos-controller", "Group=camaraqos-controller", "StateDirectory=camaraqos-controller",
            "WorkingDirectory=/var/lib/camaraqos-controller", "Environment=ASPNETCORE_CONTENTROOT=/usr/lib/camaraqos-controller",
            "CapabilityBoundingSet=", "AmbientCapabilities=", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"])
        {
            Assert.Contains("\n" + line + "\n", unit, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("CAP_", unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemdAnalyzeVerifyAcceptsTheInstalledControllerUnit()
    {
        var verify = await SystemdVerify.VerifyAsync(deb.Root, Unit.TrimStart('/'));

        Assert.Equal((0, ""), (verify.ExitCode, verify.Stdout + verify.Stderr));
    }

    [Fact]
    public void TheSampleConfigKeepsStateInTheStateDirectoryListensOnLoopbackAndShipsOnlyPlaceholderSecrets()
    {
        var sample = JsonNode.Parse(File.ReadAllText(deb.InRoot(Config)))!;
        Assert.Equal("http://127.0.0.1:8080", (string?)sample["urls"]);
        Assert.Equal("json", (string?)sample["Logging"]!["Console"]!["FormatterName"]);
        Assert.Equal("Sqlite", (string?)sample["Storage"]!["Provider"]);
        Assert.Equal("Data Source=/var/lib/camaraqos-controller/camaraqos.db", (string?)sample["Storage"]!["ConnectionString"]);
        Assert.Equal("127.0.0.1", (string?)sample["Mqtt"]!["BindAddress"]);
        Assert.Equal("/var/lib/camaraqos-controller/signing-key.pem", (string?)sample["Auth"]!["SigningKeyPath"]);
        Assert.False((bool)sample["Sandbox"]!["Enabled"]!);
        var secrets = sample["Auth"]!["Clients"]!.AsArray().Select(c => (string)c!["ClientSecret"]!).ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, s => Assert.StartsWith("CHANGE-ME-", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheInstalledControllerStartsAsItsUnitDoesWithTheSampleConfigEditedAndAnswersHttpOnLoopback()
    {
        var state = Directory.CreateDirectory(Path.Combine(deb.Work, "state-" + Guid.NewGuid().ToString("N"))).FullName;
        var (config, secret) = EditSample(state);
        await using var controller = new InstalledController(deb.Root, File.ReadAllText(deb.InRoot(Unit)), config, state);

        await controller.StartAsync("--urls=http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = controller.BaseAddress };
        // The client exists only in the edited --config file: a token proves the file was read.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token") { Content = form };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"isp-operations:{secret}")));
        using var tokenResponse = await http.SendAsync(tokenRequest);
        Assert.True(tokenResponse.StatusCode == HttpStatusCode.OK, $"{tokenResponse.StatusCode}: {await tokenResponse.Content.ReadAsStringAsync()}\n{controller.Output}");
        var token = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!;
        Assert.Equal("camaraqos:admin", (string?)token["scope"]);
        using var agentsRequest = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/agents");
        agentsRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)token["access_token"]!);
        using var agents = await http.SendAsync(agentsRequest);
        Assert.Equal(HttpStatusCode.OK, agents.StatusCode);
        Assert.Equal("[]", await agents.Content.ReadAsStringAsync());
        // The signing key lives in the database's key ring; the sample's key file is only read to import an
        // earlier release's key, never written.
        var jwks = JsonNode.Parse(await http.GetStringAsync("/.well-known/jwks.json"))!;
        Assert.NotEmpty(jwks["keys"]!.AsArray());

        Assert.Equal(0, await controller.StopAsync());
        Assert.False(File.Exists(Path.Combine(state, "signing-key.pem")));
        Assert.True(File.Exists(Path.Combine(state, "camaraqos.db")));
        // Logging:Console:FormatterName=json from the file: every line is a JSON object.
        Assert.All(controller.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
    }

    [Fact]
    public async Task PurgeRemovesTheProgramTheConffileTheUnitLinkAndTheStateDirectory()
    {
        var root = Path.Combine(deb.Work, "purge-" + Guid.NewGuid().ToString("N"));
        await deb.InstallAsync(root);
        var state = Directory.CreateDirectory(Path.Combine(root, "var/lib/camaraqos-controller")).FullName;
        await File.WriteAllTextAsync(Path.Combine(state, "camaraqos.db"), "");

        (await Command.RunAsync("dpkg", [$"--root={root}", "--force-script-chrootless", "--purge", "camaraqos-controller"],
            TimeSpan.FromMinutes(5))).EnsureSuccess("dpkg --purge");

        Assert.False(Directory.Exists(Path.Combine(root, "usr/lib/camaraqos-controller")));
        Assert.False(File.Exists(Path.Combine(root, "etc/camaraqos/controller.json")));
        Assert.False(File.Exists(Path.Combine(root, "lib/systemd/system/camaraqos-controller.service")));
        Assert.False(Path.Exists(Path.Combine(root, "etc/systemd/system/multi-user.target.wants/camaraqos-controller.service")));
        Assert.False(Directory.Exists(state));
    }

    /// <summary>The installed sample with what an operator must change: real secrets, and state paths in <paramref name="state"/>.</summary>
    private (string Path, string AdminSecret) EditSample(string state)
    {
        var sample = JsonNode.Parse(File.ReadAllText(deb.InRoot(Config)))!;
        sample["Storage"]!["ConnectionString"] = $"Data Source={Path.Combine(state, "camaraqos.db")}";
        sample["Auth"]!["SigningKeyPath"] = Path.Combine(state, "signing-key.pem");
        sample["Mqtt"]!["Port"] = 0; // the embedded broker on a free port
        foreach (var client in sample["Auth"]!["Clients"]!.AsArray())
        {
            client!["ClientSecret"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        }
        var path = Path.Combine(state, "controller.json");
        File.WriteAllText(path, sample.ToJsonString());
        var admin = sample["Auth"]!["Clients"]!.AsArray().Single(c => (string?)c!["ClientId"] == "isp-operations")!;
        return (path, (string)admin["ClientSecret"]!);
    }
}
