using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// <c>systemd-analyze verify</c> on a unit installed into a throwaway root. Two facts of systemd 252 decide how:
/// with <c>--root=DIR</c> it looks for every unit the service depends on (sysinit.target, ...) inside DIR, which a
/// throwaway root does not have, so it fails whatever the unit says; without it, it requires the program of
/// <c>ExecStart=</c> to exist and be executable on this machine. So a copy of the installed unit whose program
/// path alone is rebased into the root is verified against this machine's systemd units. The check still
/// reads every line of the real unit, and fails if the real binary is missing from the package.
/// </summary>
internal static class SystemdVerify
{
    /// <returns>Everything systemd-analyze said; it exits 0 on unknown keys and unparsable values ("..., ignoring"),
    /// so a unit is accepted only when it exits 0 and says nothing.</returns>
    public static async Task<CommandResult> VerifyAsync(string root, string unitRelativePath)
    {
        var unit = Path.Combine(root, unitRelativePath);
        var lines = File.ReadAllLines(unit).Select(line => line.StartsWith("ExecStart=/", StringComparison.Ordinal)
            ? "ExecStart=" + root + line["ExecStart=".Length..]
            : line);
        var dir = Directory.CreateTempSubdirectory("cqc-verify-");
        try
        {
            var copy = Path.Combine(dir.FullName, Path.GetFileName(unit));
            File.WriteAllLines(copy, lines);
            return await Command.RunAsync("systemd-analyze", ["verify", copy]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
