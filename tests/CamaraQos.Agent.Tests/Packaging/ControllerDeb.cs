using CamaraQos.Agent.Tests.Control;
using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// SLOW FIXTURE (a self-contained publish of the controller: ~30 s idle, minutes on a loaded machine), built once
/// for <see cref="ControllerDebPackageTests"/>: the real camaraqos-controller .deb from packaging/build-deb.sh,
/// installed by the real dpkg into a throwaway root.
/// <para>
/// How, with dpkg 1.21: <c>dpkg --root=DIR</c> unpacks into DIR and keeps its database in DIR/var/lib/dpkg (created
/// on first use); it would run the maintainer scripts chrooted into DIR, which has no shell, so
/// <c>--force-script-chrootless</c> runs them on this machine with <c>DPKG_ROOT=DIR</c>, and the scripts direct
/// every file they touch into DPKG_ROOT (systemd-sysusers --root, systemctl --root). <c>--force-depends</c>: DIR's
/// own database has none of the Depends (libc6, systemd ...), which this machine has.
/// </para>
/// </summary>
public sealed class ControllerDeb : IAsyncLifetime
{
    public const string Version = "0.0.1~test";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cqc-controller-deb-");

    public string Work => _work.FullName;

    public string Deb { get; private set; } = "";

    /// <summary>The throwaway root the package is installed into.</summary>
    public string Root => Path.Combine(Work, "root");

    public string InRoot(string absolute) => Path.Combine(Root, absolute.TrimStart('/'));

    public async ValueTask InitializeAsync()
    {
        var build = (await Command.RunAsync("bash",
            [Command.RepoPath("packaging/build-deb.sh"), "--package", "controller", "--version", Version, "--output", Work],
            TimeSpan.FromMinutes(15))).EnsureSuccess("build-deb.sh --package controller");
        Deb = build.Stdout.Trim().Split('\n')[^1];
        await InstallAsync(Root);
    }

    /// <summary>Installs the package into <paramref name="root"/> (created if missing) as described above.</summary>
    public async Task<CommandResult> InstallAsync(string root)
    {
        Directory.CreateDirectory(root);
        return (await Command.RunAsync("dpkg", [$"--root={root}", "--force-script-chrootless", "--force-depends", "-i", Deb],
            TimeSpan.FromMinutes(5))).EnsureSuccess("dpkg -i");
    }

    public ValueTask DisposeAsync()
    {
        _work.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
