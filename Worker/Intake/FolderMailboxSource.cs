using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The embedded default: reads .eml files dropped into a folder, each once it is whole (<see cref="DropFolderFiles"/>).
/// A file is moved to <c>processed/</c> only after it is recorded; a crash in between means it is read again and
/// recognised as already recorded. Only a regular file is read: a symbolic link (which could make any file the service
/// can read — its own action-link key, /etc/shadow — a "received mail"), a FIFO or a device (which would hang the pass)
/// is moved unread to <c>refused/</c> with a warning naming it. <c>processed/</c> or <c>refused/</c> replaced by a link
/// stops the pass before anything is taken (<see cref="DropFolderLinkedException"/>). A file that cannot be taken now (no permission, larger than
/// the free space) is skipped with a warning and tried again by the next pass; the others are taken, and the pass then
/// fails naming it (<see cref="DropFilesSkippedException"/>), so <c>status</c> says so. What staff must hear of although
/// the pass went on — a file some process keeps open for writing past <see cref="DropFolderFiles.UnfinishedPatience"/>
/// (not read), a file recorded but not movable to <c>processed/</c> (read again each pass, known as recorded, the move
/// tried again) — each pass puts in <see cref="DropFolderWaitingRepository"/>, which <c>status</c> and the digest read.
/// A mail's arrival is when its file came into the folder (<see cref="DropFolderFiles.ArrivedAt"/>); a file moved to
/// <c>processed/</c> carries as its modification time the arrival its mail was recorded with (its own time, unless that
/// was not the arrival).
/// After a <c>restore</c> (its mark, <see cref="StoreBackup.RereadDropFolderMark"/>, in the restored database) each pass
/// first reads again, oldest time first, every file in <c>processed/</c> (and its subfolders, an admin's archive) whose raw mail (by SHA-256) the restored store
/// does not hold — mails received after the backup — dated exactly by that time; a file already recorded is left alone,
/// so nothing is recorded twice, and a pass stopped half-way is redone. The mark is removed only by a pass over the drop
/// folder the store was fed from: its <c>processed/</c> was there before the pass and holds a mail the restored store held
/// at the restore (from its backup; when it held no drop-folder mail then, any mail the store now records), and every
/// file there was read (a pass run with other settings — another working directory, no EnvironmentFile, a share not mounted — leaves it, and
/// <c>status</c> says the re-read is still to do).
/// </summary>
public sealed partial class FolderMailboxSource(
    MailboxOptions options, TimeProvider time, ILogger<FolderMailboxSource> logger, MailRepository? mails = null, SweepMarkRepository? marks = null,
    DropFolderWaitingRepository? waitingFiles = null) : IMailboxSource
{
    /// <summary>How far the program's clock runs from the real one the folder's time stamps are written by (<c>Clock:Offset</c>).</summary>
    public TimeSpan FolderClockShift { get; init; }

    /// <summary>
    /// The real clock, never moved by <c>Clock:Offset</c>: what the drop folder's clock (<see cref="FolderClock"/>) is
    /// carried on by between readings, and read in its place where the folder cannot be written.
    /// </summary>
    public TimeProvider RealTime { get; init; } = TimeProvider.System;

    /// <summary>The store's DataDirectory (full path): named in the drop folder's claim (<see cref="DropFolderClaim"/>).</summary>
    public string? DataDirectory { get; init; }

    public async Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken)
    {
        var dropFolder = Path.GetFullPath(options.DropFolder);
        Directory.CreateDirectory(dropFolder);
        // Before anything in the folder is renamed, read or moved: a folder another store claimed is not this one's.
        if (marks is not null && DataDirectory is { } dataDirectory)
        {
            var storeId = StoreId(marks);
            var ours = Path.GetFullPath(dataDirectory);
            if (DropFolderClaim.TakenByCopy(dropFolder, storeId, ours) is { } copy && !marks.Exists(StoreBackup.RereadDropFolderMark))
            {
                // A copy of this store (restored elsewhere) took the folder while this one was not running: what it moved
                // to processed/ meanwhile this store never recorded. Read again, as after a restore (h31h Q6) — the duty
                // recorded before the claim is taken back, so a kill between the two never leaves it forgotten (h34h T1).
                LogTakenBackFromCopy(dropFolder, copy);
                marks.TryMark(StoreBackup.RereadDropFolderMark, null, time.GetUtcNow());
            }

            DropFolderClaim.Take(dropFolder, storeId, ours);
        }

        // Before anything is moved into processed/ or refused/, or read again from processed/: a link there is not followed.
        DropFolderLinkedException.ThrowIfLinked(dropFolder);
        var processedFolder = Path.Combine(dropFolder, "processed");
        var processedExisted = Directory.Exists(processedFolder);
        // Held for the pass: every file it takes is moved in by this handle, whatever is put at its path meanwhile.
        using var processed = HeldFolder.Open(processedFolder);
        var skipped = new List<SkippedDropFile>();
        var clock = new FolderClock(dropFolder, RealTime);
        var added = processedExisted ? await RereadAfterRestoreAsync(processor, processedFolder, clock, skipped, cancellationToken) : LeaveReread(processedFolder);
        var taken = 0;
        var waiting = new List<DropFileWaiting>();
        foreach (var file in DropFolderFiles.Arrived(dropFolder))
        {
            switch (await DropFolderFiles.WaitUntilWrittenAsync(file, options.DropQuietPeriod, clock, time, cancellationToken))
            {
                case DropFolderFiles.State.StillChanging:
                    // A half-written file is never read as a mail (nor renamed: its writer may open it by name again); a
                    // later pass reads it.
                    LogStillWritten(file.Shown);
                    continue;
                case DropFolderFiles.State.Gone:
                    LogGone(file.Shown);
                    continue;
            }

            DateTime? arrived = null;
            var path = file.Path;
            try
            {
                if (path is null)
                {
                    // A name that is not UTF-8 cannot be opened by .NET: renamed to one that is once the file would be read
                    // (a writer that opens the name again finds it there), its arrival read first (the rename moves its
                    // status-change time).
                    if (!DropFolderFiles.MayRename(file, clock))
                    {
                        LogNotRenamedYet(file.Shown);
                        continue;
                    }

                    arrived = DropFolderFiles.ArrivedAt(file, clock);
                    var renaming = DropFolderFiles.RenameNotUtf8(file);
                    if (renaming.Error is { } error)
                    {
                        // That one file cannot be read under its name: skipped and named, the others go on.
                        skipped.Add(new SkippedDropFile(Path.Combine(dropFolder, renaming.Original), error, null));
                        LogSkipped(error, renaming.Original, FailureText.Line(error));
                        continue;
                    }

                    LogRenamed(renaming.Original, renaming.Renamed!);
                    path = Path.Combine(dropFolder, renaming.Renamed!);
                }

                taken += await TakeAsync(processor, path, dropFolder, processed, waiting, clock, arrived, cancellationToken) ? 1 : 0;
            }
            catch (Exception exception) when (FileErrorText.IsLocalDisk(exception) && exception is not (DataDirectoryGoneException or DatabaseReplacedException or StoreFolderLinkedException))
            {
                var named = path ?? Path.Combine(dropFolder, file.Shown);
                skipped.Add(new SkippedDropFile(named, exception, path is null ? null : SizeOf(path)));
                LogSkipped(exception, Path.GetFileName(named), FailureText.Line(exception));
            }
        }

        if (taken > 0)
        {
            RememberFedFrom(dropFolder);
        }

        added += taken;
        waitingFiles?.Replace(waiting);
        LogPulled(added, dropFolder);
        return skipped.Count == 0 ? added : throw new DropFilesSkippedException(skipped, added);
    }

    /// <summary>The store's id (<see cref="StoreBackup.StoreIdPrefix"/>): made by migration 0039, or here for a store without one.</summary>
    private string StoreId(SweepMarkRepository marks)
    {
        if (marks.KeysStartingWith(StoreBackup.StoreIdPrefix).Order(StringComparer.Ordinal).FirstOrDefault() is not { } key)
        {
            marks.TryMark(StoreBackup.StoreIdPrefix + Guid.NewGuid().ToString("N"), null, time.GetUtcNow());
            key = marks.KeysStartingWith(StoreBackup.StoreIdPrefix).Order(StringComparer.Ordinal).First();
        }

        return key[StoreBackup.StoreIdPrefix.Length..];
    }

    /// <summary>
    /// Keeps the folder this store is fed from in its database (<see cref="StoreBackup.DropFolderFedFromPrefix"/>), so a
    /// backup carries it. Left as it is while a restore's re-read is to do: a pass over a copy or another folder then must
    /// not make itself the one.
    /// </summary>
    private void RememberFedFrom(string dropFolder)
    {
        var key = StoreBackup.DropFolderFedFromPrefix + dropFolder;
        if (marks is null || marks.Exists(StoreBackup.RereadDropFolderMark) || marks.Exists(key))
        {
            return;
        }

        marks.RemoveStartingWith(StoreBackup.DropFolderFedFromPrefix);
        marks.TryMark(key, null, time.GetUtcNow());
    }

    /// <summary>
    /// The <c>processed/</c> of the drop folder the restored store was fed from when it is there and is another folder
    /// than <paramref name="processedFolder"/> (device and inode, so another spelling of the same path is the same); null
    /// when it is this one, is not there (moved, not mounted) or is not known (a store from before it was kept).
    /// </summary>
    private string? FedFromElsewhere(string processedFolder)
    {
        var fedFrom = marks!.KeysStartingWith(StoreBackup.DropFolderFedFromPrefix).Select(key => key[StoreBackup.DropFolderFedFromPrefix.Length..]).FirstOrDefault();
        if (fedFrom is null)
        {
            return null;
        }

        var theirs = Path.Combine(fedFrom, "processed");
        return UnixFiles.Identity(theirs) is { } other && other != UnixFiles.Identity(processedFolder) ? theirs : null;
    }

    /// <summary>A <c>processed/</c> folder this pass made cannot hold what the restored store lacks: the mark stays.</summary>
    private int LeaveReread(string processedFolder)
    {
        if (marks is not null && marks.Exists(StoreBackup.RereadDropFolderMark))
        {
            LogRereadLeft(processedFolder);
        }

        return 0;
    }

    /// <summary>
    /// After a restore: records the <c>processed/</c> files whose raw mail the restored store lacks, oldest time first (a
    /// later copy of a file never takes its mail's arrival), each dated exactly by its modification time — the arrival the
    /// lost store recorded; then removes the restore's mark if this folder is the one the store was fed from (it holds a
    /// mail the store records). A file that cannot be read now (no permission) is skipped with a warning naming it and
    /// added to <paramref name="skipped"/>: the others, and the drop folder's new mail, are read, and the mark stays so the
    /// next pass tries it again. Returns how many were new mails.
    /// </summary>
    private async Task<int> RereadAfterRestoreAsync(
        IntakeProcessor processor, string processedFolder, FolderClock clock, List<SkippedDropFile> skipped, CancellationToken cancellationToken)
    {
        if (mails is null || marks is null || !marks.Exists(StoreBackup.RereadDropFolderMark))
        {
            return 0;
        }

        // A name that is not UTF-8 (a processed/ folder put back by a Windows tool or a zip: Big5) cannot be opened by
        // .NET; it is renamed as in the drop folder, so it is read again like the others.
        var unread = 0;
        // Its subfolders too (an admin's monthly archive, processed/2026-12/: h11y N12, silently not read again), never
        // through a link.
        var folders = Directory.EnumerateDirectories(processedFolder, "*",
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Prepend(processedFolder).ToList();
        foreach (var renaming in folders.SelectMany(DropFolderFiles.RenameNamesNotUtf8))
        {
            if (renaming.Error is { } error)
            {
                // Not read again this pass: the others are, and the mark stays for it.
                var path = Path.Combine(renaming.Folder, renaming.Original);
                skipped.Add(new SkippedDropFile(path, error, null));
                LogRereadSkipped(error, path, FailureText.Line(error));
                unread++;
                continue;
            }

            LogRenamed(renaming.Original, renaming.Renamed!);
        }

        // A subfolder that is a link is not followed (what it points to is no folder of the drop folder's), nor passed over
        // in silence: named, and the mark stays for what it may hold (h20h J5: the re-read was marked done, a reply unread).
        foreach (var link in folders.SelectMany(folder => Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
                     .Where(OwnFiles.IsLink))
        {
            var linked = new DropFolderLinkedException(link, new FileInfo(link).LinkTarget);
            skipped.Add(new SkippedDropFile(link, linked, null));
            LogRereadSkipped(linked, link, linked.Text);
            unread++;
        }

        // A mail the restored store lacks came after every mail it held at the restore, less the moments a pass may take
        // mails out of their arrival order (files by name, one held open for writing: h30h P2) — as restore bounds the raw
        // files it re-records: a file time before that (a FAT/zip copy's 1980, a touch) is not its arrival.
        var upTo = StoreBackup.RereadUpToMail(marks.KeysStartingWith(StoreBackup.RereadUpToMailPrefix));
        // Nor before the newest moment its timeline held (a notice issued): the bound where it held no mail (h32h R7).
        var notBefore = StoreBackup.RereadNotBefore(marks.KeysStartingWith(StoreBackup.RereadNotBeforePrefix));
        var earliest = new[] { upTo is { } last ? mails.NewestArrivalUpTo(last) : null, notBefore }.Max() - StoreVerifier.InFlightWindow;
        // Proof that this is the folder the store was fed from: a file whose mail the restored store held at the restore
        // (from its backup), not one a pass since the restore put there (a bare mount point's own mail). A store that held
        // no drop-folder mail then, or a mark from an older version, can prove nothing so: any recorded mail does.
        var backupProves = upTo is { } held && mails.AnyFromUpTo("folder:", held);
        var fromBackup = 0;
        var added = 0;
        var read = 0;
        var known = 0;
        // A name still not UTF-8 could not be renamed (above): it is counted unread and left.
        var oldestFirst = folders.SelectMany(DropFolderFiles.Arrived).Where(file => file.Path is not null).Select(file => file.Path!)
            .OrderBy(File.GetLastWriteTimeUtc).ThenBy(path => path, StringComparer.Ordinal).ToList();
        foreach (var path in oldestFirst)
        {
            FileStream stream;
            try
            {
                stream = UnixFiles.OpenRegular(path);
            }
            catch (NotARegularFileException)
            {
                continue; // only regular files are ever moved there; anything else is not read
            }
            catch (Exception exception) when (FileErrorText.IsLocalDisk(exception))
            {
                // One file that cannot be read now stops neither the re-read nor the drop folder's new mail.
                skipped.Add(new SkippedDropFile(path, exception, SizeOf(path)));
                LogRereadSkipped(exception, path, FailureText.Line(exception));
                unread++;
                continue;
            }

            await using (stream)
            {
                var sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
                known++;
                if (mails.FirstIdOfContent(sha256) is { } recorded)
                {
                    fromBackup += recorded <= upTo ? 1 : 0;
                    continue;
                }

                stream.Position = 0;
                DateTimeOffset? arrived = new DateTimeOffset(StampedTime(path, clock), TimeSpan.Zero) + FolderClockShift;
                DateTimeOffset? carried = null;
                if (arrived < earliest)
                {
                    LogRereadDatedNow(path, arrived.Value, earliest.Value);
                    // Dated by this re-read; the time it carried is kept and shown beside it, never lost (h30h P2).
                    (carried, arrived) = (arrived, null);
                }

                var isNew = (await processor.IngestAsync(
                    stream, $"{IntakeProcessor.RereadSource}{Path.GetFileName(path)}", checkpoint: null, cancellationToken, arrived, exactArrival: true,
                    carriedArrival: carried)).IsNew;
                added += isNew ? 1 : 0;
                read++;
            }
        }

        if (unread > 0)
        {
            // The re-read is not done until every file was read: the mark stays, status keeps saying so.
            LogReread(read, added, processedFolder);
            return added;
        }

        if (backupProves && fromBackup == 0)
        {
            // Mails this folder received since the restore are read (above), but nothing in it is from the backup: it is
            // not (yet) the folder the store was fed from — a share not mounted, a copy — and the mark stays for that one.
            LogRereadNotProven(processedFolder);
            return added;
        }

        if (known == 0)
        {
            // An empty processed/ (a folder another pass with other settings made, an empty mount point) is not proof
            // that the mails the store lacks were read: the mark stays for the folder that holds them.
            LogRereadLeft(processedFolder);
            return added;
        }

        if (FedFromElsewhere(processedFolder) is { } theirs)
        {
            // A copy of the drop folder (an admin's staging folder) holds mails from the backup too; while the folder the
            // store was fed from is there, only a pass over that one proves the mails the store lacks were read.
            LogRereadElsewhere(processedFolder, theirs);
            return added;
        }

        marks.Remove(StoreBackup.RereadDropFolderMark);
        marks.RemoveStartingWith(StoreBackup.RereadUpToMailPrefix);
        marks.RemoveStartingWith(StoreBackup.RereadNotBeforePrefix);
        LogReread(read, added, processedFolder);
        return added;
    }

    /// <summary>
    /// The time a <c>processed/</c> file carries as its recorded arrival (<see cref="StampArrival"/>): its modification time.
    /// A file this service could never have stamped — another user's, the service not root — still has its dropper's
    /// (a copy's 2 days ago), which is no arrival any store recorded: its move into <c>processed/</c> (its status change,
    /// the later of the two, as a fresh drop is dated) is when the lost store took it (h31h Q10).
    /// </summary>
    private static DateTime StampedTime(string path, FolderClock clock)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        return UnixFiles.EffectiveUserId != 0 && UnixFiles.Owner(path) is { } owner && owner.Uid != UnixFiles.EffectiveUserId
            ? DropFolderFiles.ArrivedAt(path, clock) ?? modified
            : modified;
    }

    /// <summary>
    /// Records one whole file and moves it to <c>processed/</c>; true when it was a new mail. A file staff must hear of —
    /// open for writing past the patience, or recorded but not movable — is added to <paramref name="waiting"/>.
    /// <paramref name="arrived"/>: when the file came into the folder, read before this pass renamed it (the rename moved
    /// its status-change time); null to read it now.
    /// </summary>
    private async Task<bool> TakeAsync(
        IntakeProcessor processor, string path, string dropFolder, HeldFolder processed, List<DropFileWaiting> waiting, FolderClock clock,
        DateTime? arrived, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        FileStream stream;
        try
        {
            stream = UnixFiles.OpenRegular(path);
        }
        catch (NotARegularFileException)
        {
            SetAside(path, dropFolder, name);
            return false;
        }

        RecordResult result;
        await using (stream)
        {
            // When it came or was last written here: read before any wait, and for a renamed file before its rename (which
            // moved its status-change time).
            arrived ??= DropFolderFiles.ArrivedAt(path, clock);
            var unchanged = DropFolderFiles.Since(arrived, clock);
            if (DropFolderFiles.OpenForWriting(stream))
            {
                // Its writer has it open still (stalled longer than the quiet period): what is there is not the mail yet.
                // Unchanged past the patience a writer gets, it is still not read (the writer may append), but named for
                // staff: a hung copy tool or a leaked descriptor holds it, and nothing else would ever tell.
                if (unchanged >= DropFolderFiles.UnfinishedPatience)
                {
                    var now = time.GetUtcNow();
                    waiting.Add(new DropFileWaiting(path, DropFileWait.OpenForWriting, now - unchanged, null, now));
                    LogHeldOpen(name, unchanged);
                    return false;
                }

                LogStillOpen(name);
                return false;
            }

            if (unchanged < DropFolderFiles.UnfinishedPatience && DropFolderFiles.LooksUnfinished(stream))
            {
                // Empty, or its MIME stops short: a writer this machine cannot see (an SMB/NFS client) may go on.
                LogLooksUnfinished(name, stream.Length, DropFolderFiles.UnfinishedPatience);
                return false;
            }

            // The mail arrived when its file came here (h15h K4: dated by this reading, a staff action mail dropped in
            // time and read after its link expired — the worker down — was refused), judged as an IMAP server's
            // INTERNALDATE is.
            // The file's time is exact (to the nanosecond): kept however recent (h17h P3: one under a minute old — every
            // mail the running worker reads — was dated by its reading).
            result = await processor.IngestAsync(stream, $"{IntakeProcessor.FolderSource}{name}", checkpoint: null, cancellationToken,
                exactArrival: arrived is not null, reportedArrival: arrived is { } at ? new DateTimeOffset(at, TimeSpan.Zero) + FolderClockShift : null);
        }

        StampArrival(path, name, result.MailId);
        try
        {
            // Anything of that name there, a folder too, is kept: the mail goes under the next free name — shortened when
            // NAME.1.eml would be longer than a file name may be (a 255-byte name), so a recorded mail always moves on.
            processed.MoveIn(path, name);
        }
        catch (Exception exception) when (FileErrorText.IsLocalDisk(exception) && exception is not (DataDirectoryGoneException or DatabaseReplacedException or StoreFolderLinkedException))
        {
            // The mail is recorded (filed, receipted where due): only the move failed. Never "not received": the file
            // stays, each pass reads it again, knows it as recorded (nothing twice) and tries the move again.
            var now = time.GetUtcNow();
            waiting.Add(new DropFileWaiting(path, DropFileWait.NotMoved, now, FileErrorText.Describe(exception), now));
            LogNotMoved(name, FailureText.Line(exception));
        }

        return result.IsNew;
    }

    /// <summary>
    /// Gives the file the arrival its mail was recorded with (on the folder's clock), made durable before it is moved to
    /// <c>processed/</c>: what a re-read after a restore dates the mail by, so the restored store tells the arrival the
    /// lost one told. A file whose time is that arrival (the mail was dated by it) keeps it untouched. A file the service
    /// does not own cannot be given a time: it keeps its own, and the log says so (a re-read then dates it by its move
    /// into <c>processed/</c>, <see cref="StampedTime"/>). A mail dated later than the time it
    /// carried keeps that carried time on its file: read again, it is dated again the same way, the carried time shown
    /// beside its new date — never its filing taken as the arrival it was said not to be (h30h P3).
    /// </summary>
    private void StampArrival(string path, string name, long mailId)
    {
        if (mails?.Get(mailId) is not { } mail)
        {
            return;
        }

        var stamp = mail.CarriedArrival ?? mail.ReceivedAt;
        if (new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) + FolderClockShift == stamp)
        {
            return;
        }

        try
        {
            File.SetLastWriteTimeUtc(path, (stamp - FolderClockShift).UtcDateTime);
            DurableFile.SyncAll([path], directories: false);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            LogNotStamped(name, FailureText.Line(exception));
        }
    }

    private static long? SizeOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : null;
    }

    public Task WaitForMailAsync(DateTimeOffset? until, CancellationToken cancellationToken) =>
        Task.Delay(IntakeWait.AtMost(options.PollInterval, until, time), time, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Moves a link, FIFO or device out of the way by renaming it (which never opens or follows it).</summary>
    private void SetAside(string path, string dropFolder, string name)
    {
        using var refused = HeldFolder.Open(Path.Combine(dropFolder, "refused"));
        LogRefused(name, refused.MoveIn(path, name));
    }

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} is still being written; left for a later pass")]
    private partial void LogStillWritten(string name);

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} (a name that is not UTF-8) is still open for writing or looks unfinished: left under its name for its writer, renamed and read by a later pass")]
    private partial void LogNotRenamedYet(string name);

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} is still open for writing by a process; left for a later pass")]
    private partial void LogStillOpen(string name);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} is still open for writing by a process and unchanged for {Unchanged}: not read (its writer may append); named in status and the digest until it is closed")]
    private partial void LogHeldOpen(string name, TimeSpan unchanged);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} is recorded but could not be moved to processed/ ({Reason}); it stays, is known as recorded by each pass (nothing twice), which tries the move again")]
    private partial void LogNotMoved(string name, string reason);

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} ({Length} bytes) is empty or its MIME stops short: left for its writer until unchanged for {Patience}, then taken held for staff")]
    private partial void LogLooksUnfinished(string name, long length, TimeSpan patience);

    [LoggerMessage(LogLevel.Information, "Drop folder file {Name} went away before it was read")]
    private partial void LogGone(string name);

    [LoggerMessage(LogLevel.Warning, "Drop folder file name {Original} is not UTF-8: renamed to {Renamed} to be read")]
    private partial void LogRenamed(string original, string renamed);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} cannot be taken now ({Reason}); the others are, it is tried again by the next pass")]
    private partial void LogSkipped(Exception exception, string name, string reason);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} is not a regular file (a link, FIFO, device or socket): not read, moved to {Target}")]
    private partial void LogRefused(string name, string target);

    [LoggerMessage(LogLevel.Warning, "After a restore: read again {Read} file(s) in {Folder} the restored store lacked; {Added} new mail(s)")]
    private partial void LogReread(int read, int added, string folder);

    [LoggerMessage(LogLevel.Warning, "After a restore: {Path} cannot be read again now ({Reason}); the other files are, the re-read stays to do and the next pass tries it again")]
    private partial void LogRereadSkipped(Exception exception, string path, string reason);

    [LoggerMessage(LogLevel.Warning, "After a restore: {Path} carries the time {Time:o}, before {Earliest:o}, the newest arrival the restored store held less 10 minutes (a mail it lacks came after it): not taken as its arrival; the mail is dated by this re-read and keeps that time beside it")]
    private partial void LogRereadDatedNow(string path, DateTimeOffset time, DateTimeOffset earliest);

    [LoggerMessage(LogLevel.Warning, "After a restore: {Folder} holds no mail the restored store held from its backup: not (yet) the drop folder the store was fed from (a share not mounted?); its processed/ files are read again by a pass over that one")]
    private partial void LogRereadNotProven(string folder);

    [LoggerMessage(LogLevel.Warning, "After a restore: {Folder} is not the drop folder the store was fed from ({FedFrom}, which is there): the re-read stays to do for a pass over that one")]
    private partial void LogRereadElsewhere(string folder, string fedFrom);

    [LoggerMessage(LogLevel.Warning, "After a restore: {Folder} was not there before this pass or holds no mail: not the drop folder the store was fed from; its processed/ files are read again by a pass over that one")]
    private partial void LogRereadLeft(string folder);

    [LoggerMessage(LogLevel.Warning, "Drop folder file {Name} could not be given its recorded arrival as its time ({Reason}): a re-read after a restore dates it by its move into processed/")]
    private partial void LogNotStamped(string name, string reason);

    [LoggerMessage(LogLevel.Warning, "Drop folder {Folder} was last taken by a copy of this store in {Copy} (restored elsewhere?): its processed/ files this store lacks are read again")]
    private partial void LogTakenBackFromCopy(string folder, string copy);

    [LoggerMessage(LogLevel.Information, "Drop folder {Folder}: {Added} new mail(s)")]
    private partial void LogPulled(int added, string folder);
}
