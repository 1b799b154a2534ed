using Xunit;

namespace CamaraQos.TestSupport;

/// <summary>
/// Gate for tests that need root (network namespaces, nftables, tc, capture). Outside CI they skip
/// with the reason; in CI (CI=true) a missing privilege is a failure, never a silent skip.
/// </summary>
public static class Privileged
{
    public static bool IsRoot => Environment.UserName == "root" || Tmds_geteuid() == 0;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Require(string what)
    {
        if (IsRoot)
        {
            return;
        }
        var reason = $"{what} needs root (network namespaces, nftables, tc).";
        if (InCi)
        {
            Assert.Fail(reason + " CI runs as root; this must not be skipped.");
        }
        Assert.Skip(reason);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Tmds_geteuid();
}
