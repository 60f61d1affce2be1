using System.Text;
using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The store that takes mail from a drop folder claims it: a marker file there (<see cref="MarkerName"/>, 0600, written
/// durably) names the store's id (<see cref="StoreBackup.StoreIdPrefix"/>, kept in its database, so a restored store is the
/// same store) and its DataDirectory. A store with another id takes nothing from a claimed folder (h14h G11: a
/// <c>run --once</c> from a shell lacking the DataDirectory setting made a new store in the working directory and took the
/// service's replies into it). An unclaimed folder is claimed by the first store that passes over it; to move the service
/// to another store on purpose, an admin removes the marker. The same store in another DataDirectory (a restored copy: a
/// rehearsal, a backup check) takes nothing while the DataDirectory the marker names is held by a running worker (h31h
/// Q6: it took the live service's new mail, which the live store then never recorded); one that took the folder while
/// that worker was stopped is found out before the worker takes the claim back (<see cref="TakenByCopy"/>).
/// </summary>
public static class DropFolderClaim
{
    public const string MarkerName = ".mailintake-store";

    private const string IdLine = "store-id=";
    private const string DataDirectoryLine = "data-directory=";

    /// <summary>
    /// Claims <paramref name="dropFolder"/> for the store <paramref name="storeId"/> kept in <paramref name="dataDirectory"/>,
    /// or throws <see cref="DropFolderClaimedException"/> when another store has, or when the same store in the DataDirectory
    /// the marker names is running there now. The same store moved or restored to another DataDirectory writes its new
    /// path into the marker.
    /// </summary>
    public static void Take(string dropFolder, string storeId, string dataDirectory)
    {
        var marker = Path.Combine(dropFolder, MarkerName);
        for (var attempt = 0; ; attempt++)
        {
            if (!Path.Exists(marker) && new FileInfo(marker).LinkTarget is null)
            {
                if (Write(marker, storeId, dataDirectory, overwrite: false))
                {
                    return;
                }

                continue; // another store claimed it meanwhile: read its marker
            }

            var (id, claimedBy) = Read(marker);
            if (id != storeId)
            {
                throw new DropFolderClaimedException(dropFolder, marker, claimedBy, dataDirectory);
            }

            if (claimedBy == dataDirectory)
            {
                return;
            }

            // A copy of this store while the DataDirectory the marker names runs: nothing is taken from under it. (Held by
            // this very process, it is this DataDirectory under another spelling.)
            if (claimedBy is not null && DataDirectoryLock.HolderPid(claimedBy) is { } running && running != Environment.ProcessId)
            {
                throw new DropFolderClaimedException(dropFolder, marker, claimedBy, dataDirectory) { SameStoreRunningPid = running };
            }

            if (attempt == 0)
            {
                Write(marker, storeId, dataDirectory, overwrite: true);
            }

            return;
        }
    }

    /// <summary>
    /// The other DataDirectory of the store <paramref name="storeId"/> (a restored copy) that last took
    /// <paramref name="dropFolder"/>: what it moved to <c>processed/</c> is not in <paramref name="dataDirectory"/>'s store
    /// until a pass here takes the claim back and reads it again. Null when the folder is this DataDirectory's, another
    /// store's, unclaimed or unreadable.
    /// </summary>
    public static string? TakenByCopy(string dropFolder, string storeId, string dataDirectory)
    {
        var marker = Path.Combine(dropFolder, MarkerName);
        if (!File.Exists(marker))
        {
            return null;
        }

        try
        {
            var (id, claimedBy) = Read(marker);
            return id == storeId && claimedBy is not null && claimedBy != dataDirectory
                   && (UnixFiles.Identity(claimedBy) is not { } theirs || theirs != UnixFiles.Identity(dataDirectory))
                ? claimedBy
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable marker is told by the pass itself (DropFolderClaimedException)
        }
    }

    private static (string? Id, string? DataDirectory) Read(string marker)
    {
        List<string> lines = [];
        try
        {
            using var reader = new StreamReader(UnixFiles.OpenRegular(marker), Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }
        catch (NotARegularFileException)
        {
            return (null, null); // a link or a FIFO in its place is nobody's claim, and never followed
        }

        string? Value(string prefix) =>
            lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..]).FirstOrDefault();
        return (Value(IdLine), Value(DataDirectoryLine));
    }

    /// <summary>Writes the marker by write, fsync, rename, fsync of the folder; false when one appeared meanwhile (not overwriting).</summary>
    private static bool Write(string marker, string storeId, string dataDirectory, bool overwrite)
    {
        var folder = Path.GetDirectoryName(marker)!;
        var temp = Path.Combine(folder, $"{MarkerName}.{Guid.NewGuid():N}.tmp");
        var text = $"# MailIntake：本收件資料夾由下列資料目錄之收件服務收件；如確要改由另一資料目錄收件，請先停止原收件服務再刪除本檔\n{IdLine}{storeId}\n{DataDirectoryLine}{dataDirectory}\n";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(temp, options))
            {
                file.Write(Encoding.UTF8.GetBytes(text));
                file.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite); // whatever the umask
            }

            if (!overwrite && (Path.Exists(marker) || new FileInfo(marker).LinkTarget is not null))
            {
                return false;
            }

            DurableFile.Move(temp, marker, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && Path.Exists(marker))
        {
            return false; // another store's claim won the race
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
