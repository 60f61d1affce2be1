using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>
/// A failure of the local file system (a folder that is a file, a missing file, no permission, a full disk) in zh-TW,
/// naming the path — told apart from a mail server's network failure, which .NET also reports as IOException.
/// </summary>
public static partial class FileErrorText
{
    public static bool IsFileSystem(Exception exception) =>
        exception is UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException or PathTooLongException
        || (exception is IOException && !FromNetwork(exception));

    /// <summary>
    /// A failure known to be the local disk's (full, read-only, no permission, a path in the way): a file-system
    /// exception type, or an IOException thrown by the file API itself (or the store's own code) — not any IOException
    /// whose origin is unknown. Such a failure is not retried at once nor counted as a dropped connection.
    /// </summary>
    public static bool IsLocalDisk(Exception exception) =>
        exception is UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException or PathTooLongException
        || (exception is IOException && !FromNetwork(exception) && ThrownByFileApi(exception));

    private static bool ThrownByFileApi(Exception exception)
    {
        if (new StackTrace(exception).GetFrames().FirstOrDefault()?.GetMethod() is not { } method)
        {
            return false;
        }

        // The runtime's interop helpers sit in the global namespace.
        var space = method.DeclaringType?.Namespace;
        return space is null || space.StartsWith("System.IO", StringComparison.Ordinal) || space.StartsWith("Microsoft.Win32", StringComparison.Ordinal)
               || space.StartsWith("MailIntake.Storage", StringComparison.Ordinal);
    }

    /// <summary>What went wrong with which path, e.g. <c>/tmp/x 是檔案，不是資料夾</c>.</summary>
    public static string Describe(Exception exception)
    {
        var path = PathOf(exception);
        var reason = exception switch
        {
            Intake.DropFolderLinkedException { Target: { } target } => $"是符號連結（指向 {target}），不經由連結讀取；請將其換成資料夾",
            UnauthorizedAccessException => path is null ? "沒有存取權限" : AccessDenied(path),
            PathTooLongException => "路徑太長",
            _ when IsDiskFull(exception) => "磁碟空間不足",
            _ when FileInTheWay(path, itself: exception.GetType() == typeof(IOException)) is { } file => $"{file} 是檔案，不是資料夾",
            FileNotFoundException => "找不到檔案",
            DirectoryNotFoundException => "找不到資料夾",
            _ => "無法讀寫",
        };
        return path is null ? reason : $"{path}（{reason}）";
    }

    /// <summary>
    /// Why this process may not use <paramref name="path"/>: the folder on its way it may not enter, or the file's owner
    /// when another user owns it (a command run as root left it) — what an admin needs to fix it.
    /// </summary>
    private static string AccessDenied(string path) =>
        // .NET reports a folder opened as a file as access denied.
        Directory.Exists(path) && MayList(path) ? "是資料夾，不是檔案"
        : UnixFiles.WhyUnreachable(path)
        ?? (UnixFiles.Owner(path) is { } owner && owner.Uid != UnixFiles.EffectiveUserId
            ? $"沒有存取權限：屬於 {UnixFiles.UserName(owner.Uid)}，本程式以 {UnixFiles.UserName(UnixFiles.EffectiveUserId)} 執行"
            : "沒有存取權限");

    /// <summary>Whether this process may list <paramref name="folder"/> (then access to it was not what was denied).</summary>
    private static bool MayList(string folder)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            _ = entries.MoveNext();
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A regular file where the path needs a folder: an ancestor of the path, or (creating a folder) the path itself.</summary>
    private static string? FileInTheWay(string? path, bool itself)
    {
        if (path is null)
        {
            return null;
        }

        for (var folder = itself ? path : Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>ENOSPC (or Windows' ERROR_DISK_FULL): no room left on the disk.</summary>
    public static bool IsDiskFull(Exception exception) => exception is IOException { HResult: var code } && (code & 0xFFFF) is 28 or 112;

    /// <summary>The path the exception names, if any.</summary>
    public static string? PathIn(Exception exception) => PathOf(exception);

    /// <summary>The bytes free to this process on the disk that holds <paramref name="path"/> (or its nearest existing folder).</summary>
    public static long? FreeBytes(string path)
    {
        for (var folder = Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(folder))
            {
                return new DriveInfo(folder).AvailableFreeSpace;
            }
        }

        return null;
    }

    /// <summary>A size for staff: 60 MB, 340 KB, 12 位元組.</summary>
    public static string Size(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} 位元組";

    private static string? PathOf(Exception exception) =>
        exception is FileNotFoundException { FileName: { } name } ? name
        : QuotedPath().Match(exception.Message) is { Success: true } match ? match.Groups[1].Value
        : null;

    /// <summary>
    /// A socket underneath, or thrown by a mail client or network stream: the mail server's failure, not the disk's.
    /// Where it was thrown decides, not who called: a raw file written while a FETCH streams in is written from inside
    /// the mail client's read loop, and its disk error is still the disk's.
    /// </summary>
    private static bool FromNetwork(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException)
            {
                return true;
            }

            var thrower = new StackTrace(current).GetFrames().FirstOrDefault()?.GetMethod()?.DeclaringType?.Namespace;
            if (thrower is not null && (thrower.StartsWith("MailKit", StringComparison.Ordinal) || thrower.StartsWith("System.Net", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("'(/[^']*|[A-Za-z]:\\\\[^']*)'")]
    private static partial Regex QuotedPath();
}
