using System.Runtime.InteropServices;
using System.Text;
using MailIntake.Parsing;
using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// Which files in the drop folder are whole mails. A writer that writes under a hidden or temporary name (<c>.NAME</c>,
/// <c>NAME.tmp</c>) and then renames it to <c>NAME.eml</c> is never read half-way: only <c>*.eml</c> not starting with a
/// dot are taken. For a writer that writes <c>NAME.eml</c> in place (a file manager's copy, a script), a file is read
/// only once it has not changed for <c>Mailbox:DropQuietPeriod</c>. "Changed" is the later of its modification and
/// status-change time (a write moves the status-change time even when a copy keeps the source's modification time),
/// read against the folder's own clock (<see cref="FolderClock"/>), so neither a network share's clock
/// nor the worker's clock setting matters. The extension is matched in any case (<c>NAME.EML</c>, as Windows tools write
/// it). A name that is not UTF-8 (a Big5 name from a Windows tool in Taiwan) is renamed first to one .NET can open.
/// </summary>
internal static class DropFolderFiles
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The mails waiting in <paramref name="dropFolder"/> (or, after a restore, in its <c>processed/</c>), oldest name
    /// first: <c>*.eml</c> in any case, never a hidden file or a folder.
    /// A name that is not UTF-8 (a Big5 name from a Windows tool in Taiwan) is listed by its bytes: .NET cannot open it,
    /// and it is renamed (<see cref="RenameNotUtf8"/>) only once its file is judged written, as any other is read (h15h K2:
    /// renamed at once, a writer that re-opened the name to go on made a second file and the reply was split in two).
    /// </summary>
    public static IReadOnlyList<DropFile> Arrived(string dropFolder)
    {
        if (OperatingSystem.IsWindows())
        {
            return [.. Directory.EnumerateFiles(dropFolder, "*.eml", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
                .Where(path => !Path.GetFileName(path).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Select(path => new DropFile(dropFolder, Encoding.UTF8.GetBytes(Path.GetFileName(path)), path))];
        }

        var files = new List<DropFile>();
        foreach (var name in UnixFiles.RawNames(dropFolder))
        {
            if (name[0] == (byte)'.' || !EndsWithEml(name))
            {
                continue;
            }

            var path = IsUtf8(name) ? Path.Combine(dropFolder, Encoding.UTF8.GetString(name)) : null;
            if (path is null || !Directory.Exists(path))
            {
                files.Add(new DropFile(dropFolder, name, path));
            }
        }

        return [.. files.OrderBy(file => file.Shown, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A file in the drop folder: its name as bytes, and its path when that name is UTF-8 (null when .NET cannot open it
    /// by name and it must first be renamed).
    /// </summary>
    public sealed record DropFile(string Folder, byte[] Name, string? Path)
    {
        /// <summary>The name for people and logs: as it is, or its bytes that are not UTF-8 as <c>\xXX</c>.</summary>
        public string Shown => Path is { } path ? System.IO.Path.GetFileName(path) : Escaped(Name, "\\x");
    }

    /// <summary>
    /// Renames the drop file <paramref name="file"/>, whose name is not UTF-8, to one that is (<see cref="ReadableName"/>),
    /// never replacing a file (<c>NAME.1.eml</c> …): the renaming, or the error that left it unrenamed.
    /// </summary>
    public static Renaming RenameNotUtf8(DropFile file) => Rename(file.Folder, file.Name);

    /// <summary>
    /// Renames each mail in <paramref name="folder"/> whose name is not UTF-8 to one that is — the name decoded as Big5
    /// when it is Big5, else its other bytes written as <c>%XX</c>, shortened to fit (<see cref="Fitted"/>) — never
    /// replacing a file (<c>NAME.1.eml</c> …). For <c>processed/</c> put back by a restore, whose files no one writes any
    /// more. Returns each original name (its bytes shown as <c>\xXX</c> where not UTF-8) with its new name, or the error that
    /// left that one file unrenamed (the others are renamed). Not on Windows, whose names are UTF-16.
    /// </summary>
    public static IReadOnlyList<Renaming> RenameNamesNotUtf8(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        return [.. UnixFiles.RawNames(folder)
            .Where(name => !IsUtf8(name) && name[0] != (byte)'.' && EndsWithEml(name))
            .Select(name => Rename(folder, name))];
    }

    private static Renaming Rename(string folder, byte[] name)
    {
        // Decoded, a name may no longer fit (100 Big5 characters are 200 bytes, 300 in UTF-8; %XX triples a byte): it is
        // shortened (Fitted). A name that still cannot be given is this file's problem only: it is skipped.
        var readable = Utf8OrBig5.Decode(name) is { Text: { } text } && text.All(IsPlainCharacter) ? text : Escaped(name, "%");
        var target = Fitted(readable);
        try
        {
            for (var copy = 1; !UnixFiles.RenameRaw(folder, name, target); copy++)
            {
                target = Fitted(readable, $".{copy}");
            }

            return new Renaming(folder, Escaped(name, "\\x"), target, null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new Renaming(folder, Escaped(name, "\\x"), null, exception);
        }
    }

    /// <summary>A name that was not UTF-8 (its bytes as <c>\xXX</c>) and its new name, or why it could not be renamed.</summary>
    public sealed record Renaming(string Folder, string Original, string? Renamed, Exception? Error);

    /// <summary>The longest file name Linux file systems take (NAME_MAX), in bytes.</summary>
    public const int NameMax = 255;

    /// <summary>
    /// <paramref name="name"/> with <paramref name="suffix"/> put before its extension (<c>NAME.1.eml</c>), as a name
    /// that fits <see cref="NameMax"/> bytes: unchanged when it fits; else its stem cut on a character boundary, then
    /// <c>~</c> and 8 hex digits of the whole name's SHA-256 (two long names that start alike stay apart), the suffix and
    /// the extension (kept: <c>.eml</c>).
    /// </summary>
    public static string Fitted(string name, string suffix = "")
    {
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        var whole = stem + suffix + extension;
        if (Encoding.UTF8.GetByteCount(whole) <= NameMax)
        {
            return whole;
        }

        var mark = $"~{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8]}";
        var room = NameMax - Encoding.UTF8.GetByteCount(mark + suffix + extension);
        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in stem.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > room)
            {
                break;
            }

            kept.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }

        return $"{kept}{mark}{suffix}{extension}";
    }

    private static bool IsUtf8(byte[] name)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(name);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// Not a control, private-use (Big5's user-defined area, where a stray 0xFF lands) or unassigned character: a name
    /// that decodes as Big5 only through those is not Big5 text.
    /// </summary>
    private static bool IsPlainCharacter(char character) =>
        char.GetUnicodeCategory(character) is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.PrivateUse
            or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.Surrogate);

    private static bool EndsWithEml(byte[] name) =>
        name.Length > 4 && Encoding.ASCII.GetString(name, name.Length - 4, 4).Equals(".eml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The printable ASCII bytes as they are, every other byte as <paramref name="marker"/> and two hex digits.</summary>
    private static string Escaped(byte[] name, string marker) =>
        string.Concat(name.Select(b => b is >= 0x20 and < 0x7F and not (byte)'%' ? ((char)b).ToString() : $"{marker}{b:X2}"));

    public enum State
    {
        Written,
        StillChanging,
        Gone,
    }

    /// <summary>
    /// <see cref="State.Written"/> once <paramref name="file"/> has been left unchanged for <paramref name="quiet"/>;
    /// <see cref="State.StillChanging"/> when it still changes after five quiet periods of waiting (a slow writer: a later
    /// pass takes it); <see cref="State.Gone"/> when no file is there any more.
    /// </summary>
    public static async Task<State> WaitUntilWrittenAsync(
        DropFile file, TimeSpan quiet, FolderClock clock, TimeProvider time, CancellationToken cancellationToken)
    {
        if (quiet <= TimeSpan.Zero)
        {
            return LastChange(file) is null ? State.Gone : State.Written;
        }

        var patience = quiet * 5;
        var waited = TimeSpan.Zero;
        DateTime? seenStamp = null;
        var seenAt = DateTime.MinValue;
        while (true)
        {
            var now = clock.Now();
            if (LastChange(file) is not { } stamp)
            {
                return State.Gone;
            }

            // A time stamp ahead of the folder's clock (a copy that kept the time of a machine whose clock is ahead) says
            // nothing about when the file last changed: it counts as unchanged since it was first seen, so the file is
            // read once it keeps that stamp for the quiet period (before, the pass slept until that time, for a day).
            if (stamp != seenStamp)
            {
                (seenStamp, seenAt) = (stamp, now);
            }

            var still = now - (stamp > now ? seenAt : stamp);
            if (still >= quiet)
            {
                return State.Written;
            }

            if (waited >= patience)
            {
                return State.StillChanging;
            }

            // Never longer than the quiet period at a time, so that the bound of five quiet periods holds.
            var wait = quiet - still;
            wait = wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait > quiet ? quiet : wait;
            await Task.Delay(wait, time, cancellationToken);
            waited += wait;
        }
    }

    /// <summary>
    /// How long a fresh drop that looks unfinished (empty, or its MIME visibly stopping short) is left in the drop folder
    /// for its writer, by when it was last written (<see cref="UnmodifiedFor"/>): a writer that stalls comes back within
    /// it; after it, the file is taken, held for staff.
    /// </summary>
    public static readonly TimeSpan UnfinishedPatience = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long <paramref name="file"/> has been left unchanged here, on the folder's own clock: since it came into the
    /// folder or was last written (<see cref="ArrivedAt(DropFile, FolderClock)"/>: the later of its modification and
    /// status-change time, one ahead of the folder's clock left aside). The status-change time counts because a writer
    /// may stamp a file it has not finished (robocopy /Z's 1980, a copy keeping its source's time) and go on by name:
    /// by its modification time alone such a file was "ten minutes unchanged" seconds after it was written, held as cut
    /// and its rest filed as a mail of its own (h19h H1); a stamp ahead of the clock kept a cut file from staff until that
    /// time + 10 minutes (h15h K7). Read from the file alone, so a worker and every later <c>run --once</c> judge it
    /// alike. Zero when neither time lies at or before the folder's clock (no status-change time off Linux, a clock
    /// stepped back).
    /// </summary>
    private static TimeSpan UnmodifiedFor(DropFile file, FolderClock clock) => Since(ArrivedAt(file, clock), clock);

    /// <summary>How long before the folder's clock now <paramref name="lastChanged"/> was; zero when it was not.</summary>
    public static TimeSpan Since(DateTime? lastChanged, FolderClock clock) =>
        lastChanged is { } at && clock.Now() - at is { Ticks: > 0 } since ? since : TimeSpan.Zero;

    /// <summary>
    /// Whether <paramref name="file"/>, whose name is not UTF-8, may be renamed now: once it would be read — no process
    /// here has it open for writing, and it does not look unfinished — or once it was left unchanged past
    /// <see cref="UnfinishedPatience"/> (the pass then holds it for staff, or names it as held open, under its new name).
    /// Renamed before, a writer that opens the name again to go on makes a second file and one reply is split in two
    /// (h15h K2, h17h P2). What is not a regular file is renamed (it is set aside unread under its new name).
    /// </summary>
    public static bool MayRename(DropFile file, FolderClock clock)
    {
        if (UnmodifiedFor(file, clock) >= UnfinishedPatience)
        {
            return true;
        }

        FileStream stream;
        try
        {
            stream = UnixFiles.OpenRegular(file.Folder, file.Name, Path.Combine(file.Folder, file.Shown));
        }
        catch (NotARegularFileException)
        {
            return true;
        }

        using (stream)
        {
            return !OpenForWriting(stream) && !LooksUnfinished(stream);
        }
    }

    /// <summary>
    /// When <paramref name="path"/> came into the drop folder, in UTC on the folder's clock: the later of its modification
    /// and status-change time — a copy that kept an older modification time (cp -p, Explorer) came in when the latter
    /// says, and a mail is never dated before it was here; a chmod since moves it later, never earlier — a modification
    /// time ahead of the folder's clock left aside. Null when neither tells (read now).
    /// </summary>
    public static DateTime? ArrivedAt(string path, FolderClock clock) => ArrivedAt(Named(path), clock);

    /// <summary>The drop file at <paramref name="path"/> (a name that is UTF-8).</summary>
    private static DropFile Named(string path) => new(Path.GetDirectoryName(path)!, Encoding.UTF8.GetBytes(Path.GetFileName(path)), path);

    /// <summary><see cref="ArrivedAt(string, FolderClock)"/> of a file named by its bytes (one not yet renamed); null when it is not there.</summary>
    public static DateTime? ArrivedAt(DropFile file, FolderClock clock)
    {
        var now = clock.Now();
        if (Times(file) is not var (modified, changed))
        {
            return null;
        }

        DateTime? arrived = modified <= now ? modified : null;
        return changed is { } at && at <= now && (arrived is null || at > arrived) ? at : arrived;
    }


    /// <summary>
    /// Whether some process on this machine has <paramref name="path"/> open for writing (a writer stalled mid-file: an
    /// SMB server's process, a relay, a copy). First asked of the kernel by a read lease (fcntl F_SETLEASE), which is
    /// refused while any process, of any user, holds the file open for writing; a lease may only be taken on a file this
    /// user owns (or with CAP_LEASE) on a local file system. Else /proc is searched: every open file descriptor of the
    /// processes this user may look into (its own; all as root) that is this file (device and inode), opened for writing
    /// (/proc/PID/fdinfo flags). Neither sees a writer on another machine (an SMB/NFS client writing into a share mounted
    /// here): the quiet period and the MIME check are all there is for those. <paramref name="stream"/> is the file opened
    /// (read-only) by the pass.
    /// </summary>
    public static bool OpenForWriting(FileStream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        if (Fcntl(fd, FSetLease, FRdLck) == 0)
        {
            _ = Fcntl(fd, FSetLease, FUnLck);
            return false;
        }

        if (Marshal.GetLastPInvokeError() == EAgain)
        {
            return true;
        }

        // No lease here (another user's file without CAP_LEASE, a file system without leases): look through /proc.
        return Identity(fd) is { } file && OpenForWritingInProc(file);
    }

    private static bool OpenForWritingInProc((ulong Device, ulong Inode) file)
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!Path.GetFileName(process).All(char.IsAsciiDigit))
            {
                continue;
            }

            IEnumerable<string> descriptors;
            try
            {
                descriptors = Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).ToList();
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                continue; // a process of another user (not ours to see) or one that ended meanwhile
            }

            foreach (var descriptor in descriptors)
            {
                if (Identity(descriptor) != file)
                {
                    continue;
                }

                try
                {
                    var flags = File.ReadLines(Path.Combine(process, "fdinfo", Path.GetFileName(descriptor)))
                        .FirstOrDefault(line => line.StartsWith("flags:", StringComparison.Ordinal));
                    if (flags is not null && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & OAccMode) is OWrOnly or ORdWr)
                    {
                        return true;
                    }
                }
                catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
                {
                    continue; // closed meanwhile
                }
            }
        }

        return false;
    }

    /// <summary>The device and inode <paramref name="path"/> is (a link followed: /proc/PID/fd/N is the open file), or null.</summary>
    private static (ulong Device, ulong Inode)? Identity(string path) => Identity(AtFdCwd, path, 0);

    /// <summary>The device and inode of the file open as <paramref name="descriptor"/>, or null.</summary>
    private static (ulong Device, ulong Inode)? Identity(int descriptor) => Identity(descriptor, string.Empty, AtEmptyPath);

    private static (ulong Device, ulong Inode)? Identity(int directory, string path, int flags)
    {
        // struct statx: stx_ino (u64) at byte 32, stx_dev_major and stx_dev_minor (u32) at 136 and 140.
        var buffer = new byte[256];
        if (Statx(directory, path, flags, StatxIno, buffer) != 0)
        {
            return null;
        }

        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, BitConverter.ToUInt64(buffer, 32));
    }

    /// <summary>
    /// Whether a fresh drop looks unfinished: empty (created, not yet written), or its MIME visibly stopping before its
    /// end (<see cref="MimeCompleteness"/>: a multipart with no closing boundary, a base64 part stopping mid-group).
    /// </summary>
    public static bool LooksUnfinished(FileStream stream)
    {
        if (stream.Length == 0)
        {
            return true;
        }

        try
        {
            using var message = MailParserOptions.Load(stream, persistent: true);
            return MimeCompleteness.IsUnfinished(message, stream);
        }
        catch (FormatException)
        {
            return false; // not a mail at all: recorded as such, waiting does not make it one
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>
    /// The later of <paramref name="file"/>'s modification and (on Linux) status-change time, in UTC, read by its name's
    /// bytes (a name that is not UTF-8 too); null when nothing is there.
    /// </summary>
    internal static DateTime? LastChange(DropFile file) =>
        Times(file) is var (modified, changed) ? changed > modified ? changed : modified : null;

    /// <summary>
    /// <paramref name="file"/>'s modification and (on Linux; null elsewhere) status-change time, in UTC, read by its
    /// name's bytes (a name that is not UTF-8 too); null when nothing is there.
    /// </summary>
    private static (DateTime Modified, DateTime? Changed)? Times(DropFile file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return file.Path is { } named && File.Exists(named) ? (File.GetLastWriteTimeUtc(named), null) : null;
        }

        // struct statx: stx_ctime and stx_mtime (struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 reserved; }) at
        // bytes 96 and 112.
        var buffer = new byte[256];
        byte[] path = [.. Encoding.UTF8.GetBytes(file.Folder.TrimEnd('/') + "/"), .. file.Name, 0];
        return Statx(AtFdCwd, path, 0, StatxCtime | StatxMtime, buffer) == 0 ? (TimeAt(buffer, 112), TimeAt(buffer, 96)) : null;
    }

    private static DateTime TimeAt(byte[] statx, int offset) =>
        DateTime.UnixEpoch.AddSeconds(BitConverter.ToInt64(statx, offset)).AddTicks(BitConverter.ToUInt32(statx, offset + 8) / 100);

    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxCtime = 0x80;
    private const uint StatxIno = 0x100;
    private const uint StatxMtime = 0x40;
    private const int OWrOnly = 1, ORdWr = 2, OAccMode = 3;
    private const int FSetLease = 1024, FRdLck = 0, FUnLck = 2;
    private const int EAgain = 11;

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, long argument);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, byte[] buffer);
}
