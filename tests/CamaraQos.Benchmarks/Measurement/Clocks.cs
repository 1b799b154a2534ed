using System.Globalization;
using System.Runtime.InteropServices;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>
/// CPU time as the kernel accounts it, not wall time: the calling thread's (clock_gettime(2)
/// CLOCK_THREAD_CPUTIME_ID), and that of waited-for child processes (getrusage(2) RUSAGE_CHILDREN), so a
/// benchmark on a shared machine charges each side only for the cycles it really ran. Plus VmRSS.
/// </summary>
internal static partial class Clocks
{
    private const int ClockThreadCpuTime = 3;
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct rusage: two timevals (user, system), then 14 longs this benchmark does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public fixed long Rest[14];
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>CPU time of the calling thread, nanoseconds.</summary>
    public static long ThreadCpuNanoseconds() =>
        ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds
            : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");

    /// <summary>User + system CPU time of all terminated and waited-for children, nanoseconds.</summary>
    public static long ChildrenCpuNanoseconds() =>
        GetRusage(RusageChildren, out var u) == 0
            ? (u.UserSeconds + u.SystemSeconds) * 1_000_000_000 + (u.UserMicroseconds + u.SystemMicroseconds) * 1_000
            : throw new InvalidOperationException("getrusage(RUSAGE_CHILDREN) failed");

    /// <summary>Resident set size from /proc/self/status, bytes.</summary>
    public static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    /// <summary>The managed heap after a full blocking collection, bytes.</summary>
    public static long HeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
