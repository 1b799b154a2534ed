using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Tmds.Linux;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// The boot epoch: a counter in <c>Agent:StateDirectory/boot-counter</c>, raised at every start and made
/// durable before anything is announced. The wall clock alone cannot serve: a gateway without a real-time
/// clock starts in 1970 (or at its last saved time) until NTP answers, and a smaller epoch makes the controller
/// take the new run's birth for a stale one. Each value is max(previous + 1, wall-clock seconds): it always grows
/// whatever the clock says, and it starts at the wall clock, so the first value after an upgrade from the
/// wall-clock epoch is still larger than the one the controller remembers. A damaged file is logged and the
/// counter goes on from the wall clock (that is, as before; it grows as long as the clock is right).
/// </summary>
public static partial class BootCounter
{
    public const string FileName = "boot-counter";

    /// <summary>This run's epoch, written (temp file, fsync, rename, fsync of the directory) before it is returned.</summary>
    public static long Next(string stateDirectory, TimeProvider time, ILogger log)
    {
        var path = Path.Combine(stateDirectory, FileName);
        var previous = Read(path, log);
        var next = Math.Max((previous ?? 0) + 1, time.GetUtcNow().ToUnixTimeSeconds());
        try
        {
            Write(stateDirectory, path, next);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Enforcing QoS matters more than the epoch: go on, but the next start may repeat this value.
            NotSaved(log, path, e.Message);
        }
        return next;
    }

    /// <summary>The value the current (or last) run holds, null when there is none or it cannot be read.</summary>
    public static long? Current(string stateDirectory) =>
        Parse(File.Exists(Path.Combine(stateDirectory, FileName)) ? ReadText(Path.Combine(stateDirectory, FileName)) : null);

    private static long? Read(string path, ILogger log)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var text = ReadText(path);
        if (Parse(text) is { } value)
        {
            return value;
        }
        Damaged(log, path, text is null ? "unreadable" : $"'{Shorten(text)}' is not a whole number");
        return null;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? Parse(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static string Shorten(string text) => text.Length <= 32 ? text.Trim() : text[..32] + "…";

    private static void Write(string directory, string path, long value)
    {
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture) + "\n"));
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(directory);
    }

    // rename(2) is atomic but lives in the directory: without fsync of the directory a power cut can bring the
    // old file back, and the next start would repeat this run's epoch (fsync(2), "NOTES").
    private static unsafe void SyncDirectory(string directory)
    {
        var name = Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* p = name)
        {
            var fd = LibC.open(p, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            if (fd < 0)
            {
                throw new IOException($"open({directory}) failed: errno {LibC.errno}");
            }
            var synced = LibC.fsync(fd);
            LibC.close(fd);
            if (synced < 0)
            {
                throw new IOException($"fsync({directory}) failed: errno {LibC.errno}");
            }
        }
    }

    [LoggerMessage(1, LogLevel.Error, "The boot counter {Path} is damaged ({Reason}); counting on from the wall clock")]
    private static partial void Damaged(ILogger logger, string path, string reason);

    [LoggerMessage(2, LogLevel.Error, "The boot counter {Path} could not be saved ({Reason}); the next start may repeat this epoch")]
    private static partial void NotSaved(ILogger logger, string path, string reason);
}
