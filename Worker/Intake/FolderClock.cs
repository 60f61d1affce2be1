using System.Text;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The drop folder's own clock: the time stamp a file made there now gets, which is what its files' times are read
/// against (a network share's server stamps them by its clock, not this machine's). Read from a probe file once, then
/// carried on by the elapsed time of <paramref name="realTime"/> (the real clock, never <c>Clock:Offset</c>'s: file stamps
/// are real time), and read again once that reading is a minute old, so a pass makes one probe, not one per check of every
/// file. The probe is a new file of a name no one uses (created exclusively, so never opened through a link, a FIFO or a
/// folder someone put in its place: at a fixed name, one link made the service overwrite its own database with one byte,
/// h17h P1), removed at once. A folder the service may not write (a read-only share, a full disk) has no clock to read:
/// <paramref name="realTime"/> is used, so its mails are still read (h17h P4: every pass failed on the probe).
/// </summary>
internal sealed class FolderClock(string folder, TimeProvider realTime)
{
    private const string ProbePrefix = ".mailintake-clock";

    /// <summary>How long one reading of the folder's clock is carried on before it is read again.</summary>
    public static readonly TimeSpan ReadingKept = TimeSpan.FromMinutes(1);

    private (DateTime At, long Timestamp)? reading;

    /// <summary>The folder's clock now, in UTC.</summary>
    public DateTime Now()
    {
        if (reading is not { } last || realTime.GetElapsedTime(last.Timestamp) >= ReadingKept)
        {
            last = (Probe(), realTime.GetTimestamp());
            reading = last;
        }

        return last.At + realTime.GetElapsedTime(last.Timestamp);
    }

    private DateTime Probe()
    {
        var name = $"{ProbePrefix}-{Guid.NewGuid():N}";
        var probe = Path.Combine(folder, name);
        try
        {
            new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return realTime.GetUtcNow().UtcDateTime; // nothing was made: a read-only, full or foreign folder
        }

        try
        {
            return DropFolderFiles.LastChange(new DropFolderFiles.DropFile(folder, Encoding.UTF8.GetBytes(name), probe))
                ?? File.GetLastWriteTimeUtc(probe);
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
