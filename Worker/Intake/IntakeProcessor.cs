using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailIntake.Worker.Outbound;
using MailIntake.Worker.StaffActions;
using MailIntake.Parsing.StaffActions;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailIntake.Worker.Intake;

/// <summary>
/// Per-message work, knowing no mailbox client: keep the raw message and record it first,
/// then classify, match and file it. A message that cannot be understood is still recorded, with the reason.
/// </summary>
public sealed partial class IntakeProcessor(
    ContentStore rawStore,
    ContentStore evidenceStore,
    MailRepository mails,
    MatchContextRepository matchContexts,
    BounceLinker bounces,
    RecordReply recordReply,
    OutboxWriter outbox,
    StaffActionHandler staffActions,
    MailNotes notes,
    MailboxOptions settings,
    TimeProvider time,
    TimeZoneInfo zone,
    ILogger<IntakeProcessor> logger)
{
    /// <summary>The DataDirectory whose raw mail this processor keeps.</summary>
    public string DataDirectory => rawStore.DataDirectory;

    /// <summary>
    /// Keeps the raw bytes, records the mail (and the mailbox checkpoint with it), then processes it if it is new.
    /// <paramref name="receivedAt"/>, when given, is when the mail arrived if that was before now (a raw file store
    /// repair records again keeps the time it was written, not the time of the repair). <paramref name="reportedArrival"/>:
    /// when the mailbox says the mail arrived (a drop-folder file's time), judged as an IMAP server's INTERNALDATE is
    /// (<see cref="KeepAsync"/>); <paramref name="receivedAt"/> goes before it. <paramref name="exactArrival"/>: the arrival is
    /// exact — one a store recorded before (a drop-folder file read again after a restore carries it as its time), or a
    /// drop-folder file's own time (to the nanosecond) — and kept, however recent, unless it lies ahead of now; else one
    /// within a minute of now (an IMAP INTERNALDATE, whole seconds) is dated by the recording, unless the recording falls
    /// on a later day in the center's time zone.
    /// </summary>
    public async Task<RecordResult> IngestAsync(
        Stream raw, string source, MailboxCheckpoint? checkpoint, CancellationToken cancellationToken, DateTimeOffset? receivedAt = null,
        bool exactArrival = false, DateTimeOffset? reportedArrival = null, DateTimeOffset? carriedArrival = null)
    {
        var kept = await KeepAsync((target, token) => raw.CopyToAsync(target, token), source, cancellationToken, reportedArrival);
        kept = kept with { ReceivedAt = receivedAt ?? kept.ReceivedAt, ExactArrival = exactArrival, CarriedArrival = carriedArrival };
        var (result, stored) = (await RecordAsync([kept], checkpoint, cancellationToken))[0];
        if (result.IsNew || result.ToProcess)
        {
            await ProcessAsync(result.MailId, stored, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// A batch for a mailbox that hands over many messages at once: they are kept, made durable and recorded together
    /// (with the checkpoint past them), and processed in order while the next group downloads (see <see cref="IntakeBatch"/>).
    /// </summary>
    public IntakeBatch StartBatch(int groupSize, CancellationToken cancellationToken) => new(this, groupSize, cancellationToken);

    /// <summary>
    /// Writes the raw bytes to the raw store's temporary folder (not yet flushed to the disk) and reads what recording
    /// needs from the file: the Message-ID and the hashes that tell one message from another (RawMailBody). Nothing is recorded yet.
    /// </summary>
    internal async Task<KeptMail> KeepAsync(
        Func<Stream, CancellationToken, Task> writeRaw, string source, CancellationToken cancellationToken, DateTimeOffset? reportedArrival = null)
    {
        var pending = await rawStore.WriteAsync(writeRaw, cancellationToken);
        try
        {
            var messageId = ReadMessageId(pending);
            RawMailHashes hashes;
            await using (var file = File.OpenRead(pending.TempPath))
            {
                hashes = RawMailBody.Hashes(file);
            }

            return new KeptMail(pending, source, messageId, hashes) { ReceivedAt = reportedArrival is { } reported ? Arrival(pending, reported) : null };
        }
        catch
        {
            ContentStore.Discard([pending]);
            throw;
        }
    }

    /// <summary>
    /// Makes a group of kept raw files durable together (a group commit: their contents, then their names), then records
    /// them and the mailbox checkpoint in one transaction, in the order given; a duplicate is only logged.
    /// </summary>
    internal async Task<IReadOnlyList<(RecordResult Result, StoredFile Raw)>> RecordAsync(
        IReadOnlyList<KeptMail> group, MailboxCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredFile> stored;
        try
        {
            stored = await rawStore.CommitAsync(group.Select(mail => mail.Raw).ToList(), cancellationToken);
        }
        catch
        {
            // Not recorded and the checkpoint did not pass them: fetched again by the next pass.
            ContentStore.Discard(group.Select(mail => mail.Raw));
            throw;
        }

        var now = time.GetUtcNow();
        var results = mails.Record(
            group.Select((mail, i) => new ReceivedMail(mail.MessageId, stored[i], mail.Source, ArrivalOf(mail, now))
            {
                BodySha256 = mail.Hashes.Body, MessageSha256 = mail.Hashes.Message, CarriedArrival = mail.CarriedArrival,
            }).ToList(),
            checkpoint);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Healed)
            {
                LogHealed(results[i].MailId, group[i].Source);
                // The copy is the raw file now; an altered file the mail recorded before is nobody's (verify would take it
                // for an orphan, and repair would record it as a mail).
                if (results[i].ReplacedRawPath is { } replaced && !mails.IsRawRecorded(replaced))
                {
                    File.Delete(rawStore.FullPath(replaced));
                }
            }
            else if (!results[i].IsNew)
            {
                LogDuplicate(results[i].MailId, group[i].Source);
                // Another delivery of a recorded mail whose transport headers differ (another Received, LF line ends): its
                // bytes are not the record — the first copy is — so they are not kept, and no raw file stays unrecorded.
                if (!mails.IsRawRecorded(stored[i].RelativePath))
                {
                    File.Delete(rawStore.FullPath(stored[i].RelativePath));
                }
            }
        }

        return results.Select((result, i) => (result, stored[i])).ToList();
    }

    /// <summary>
    /// The source prefix of a drop-folder file read again from <c>processed/</c> after a restore: a file read whole once,
    /// so one whose MIME visibly stops before its end was cut short since, and is held for staff.
    /// </summary>
    public const string RereadSource = "folder:processed/";

    /// <summary>
    /// The source prefix of every drop-folder file. A fresh drop whose MIME visibly stops before its end reaches here only
    /// once it was left unchanged for <see cref="DropFolderFiles.UnfinishedPatience"/>: its writer stopped; held for staff.
    /// </summary>
    public const string FolderSource = "folder:";

    /// <summary>
    /// A mail fetched (or found) within this long of its arrival is dated by the moment it is recorded: as true, and finer
    /// than the server's whole seconds, which would tie it with what happened in the same second (a call's Date).
    /// </summary>
    private static readonly TimeSpan RecordedPromptly = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When the mail arrived: its reported arrival when that was more than a moment before now, or on an earlier day in the
    /// center's time zone (an arrival a store recorded before: when it is not ahead of now), else now. A reply that reached
    /// the server at 23:59:30 and was fetched at 00:00:10 came on the day a deadline ended, not the day after (h19a): the
    /// day it came matters more than the tie its whole second may make with a call made in that same second.
    /// </summary>
    private DateTimeOffset ArrivalOf(KeptMail mail, DateTimeOffset now) =>
        mail.ReceivedAt is { } arrived && (mail.ExactArrival ? arrived <= now : arrived < now - RecordedPromptly || LocalDay(arrived) < LocalDay(now))
            ? arrived
            : now;

    private DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// When the next mail whose processing failed is due to be tried again (as <see cref="ProcessPendingAsync"/> takes
    /// it: a retry further ahead than the longest backoff is due by then); null when none waits.
    /// </summary>
    public DateTimeOffset? NextRetryAt()
    {
        var latest = time.GetUtcNow() + IntakeRetry.Longest;
        return mails.NextRetryAt() is { } at ? (at < latest ? at : latest) : null;
    }

    /// <summary>
    /// Processes mails that were recorded but not processed: the worker stopped in between, or a passing error stopped
    /// their processing and their retry is due. <paramref name="retryAll"/> (<c>run --once</c>) takes every one of them
    /// at once, whatever its backoff.
    /// </summary>
    public async Task<int> ProcessPendingAsync(CancellationToken cancellationToken, bool retryAll = false)
    {
        var pending = mails.ListUnprocessed(retryAll ? null : time.GetUtcNow(), IntakeRetry.Longest);
        foreach (var mail in pending)
        {
            await ProcessAsync(mail.MailId, mail.Raw, cancellationToken);
        }

        return pending.Count;
    }

    internal async Task ProcessAsync(long mailId, StoredFile raw, CancellationToken cancellationToken)
    {
        MimeMessage? read = null;
        try
        {
            if (await RawDamageAsync(raw, cancellationToken) is { } damage)
            {
                // Nothing can be read from it: set aside for staff (and `store verify`); the next mail goes on.
                LogDamaged(mailId, damage);
                mails.MarkDamaged(mailId, damage, time.GetUtcNow());
                return;
            }

            // Parsed in place (persistent): each part's content stays in the raw file and is read from it when it is
            // decoded, so a large attachment is never a second copy in memory. The file stays open until the mail is filed.
            await using var stream = new FileStream(rawStore.FullPath(raw.RelativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            MimeMessage message;
            try
            {
                message = MailParserOptions.Load(stream, persistent: true);
            }
            catch (FormatException exception)
            {
                // A verdict on the content, not an error: the same bytes will never read better. The parser's own message
                // goes to the log; staff read what it means and what they can do. A file read again after a restore was
                // read whole once: empty or ending in NULs now, it was cut short since, and is not "kept whole".
                LogUnreadable(mailId, exception.Message);
                var why = IsReread(mailId) is null ? MatchReasonText.Unreadable
                    : raw.Size == 0 ? MatchReasonText.Empty
                    : EndsInNul(raw) ? MatchReasonText.Unfinished(null, [])
                    : MatchReasonText.Unreadable;
                mails.Complete(mailId, new MailOutcome(MailKind.Unmatched, null, null, null, why), [], time.GetUtcNow());
                return;
            }

            read = message;
            if (mails.SourceOf(mailId) is { } source && source.StartsWith(FolderSource, StringComparison.Ordinal) && Unfinished(message, raw))
            {
                // Read whole once, then cut short on disk before the re-read; or a fresh drop its writer left unfinished
                // (the drop folder held it until it was left unchanged for long): what is there is no proof of what was
                // sent. Its headers (when they came through) still say whose it is: staff see that and ask the sender.
                LogUnfinished(mailId, source);
                var sender = CutShortDrop.Sender(message);
                var subject = string.IsNullOrEmpty(message.Subject) ? null : message.Subject;
                var references = NoticeReference.FindAll(subject);
                var reason = source.StartsWith(RereadSource, StringComparison.Ordinal)
                    ? MatchReasonText.Unfinished(sender, references)
                    : MatchReasonText.UnfinishedDrop(sender, references);
                mails.Complete(mailId, new MailOutcome(MailKind.Unmatched, sender, subject, null, reason), [], time.GetUtcNow());
                return;
            }

            await ClassifyAsync(mailId, message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Errors are not verdicts: a disk, the database or the send path failing says nothing about the mail. It keeps
            // what it has (evidence, reply), stays to be processed, and is tried again later with backoff.
            RecordFailure(mailId, exception, read);
        }
    }

    /// <summary>The mail's source when it is a drop-folder file read again after a restore (<see cref="RereadSource"/>), else null.</summary>
    private string? IsReread(long mailId) =>
        mails.SourceOf(mailId) is { } source && source.StartsWith(RereadSource, StringComparison.Ordinal) ? source : null;

    /// <summary>Whether the raw file ends in a NUL byte (a tail the disk zero-filled).</summary>
    private bool EndsInNul(StoredFile raw)
    {
        using var scan = File.OpenRead(rawStore.FullPath(raw.RelativePath));
        return MimeCompleteness.EndsInNul(scan);
    }

    /// <summary>Whether the message stops before its MIME ends (scanned on a handle of its own: the parser's stays where it is).</summary>
    private bool Unfinished(MimeMessage message, StoredFile raw)
    {
        using var scan = File.OpenRead(rawStore.FullPath(raw.RelativePath));
        return MimeCompleteness.IsUnfinished(message, scan);
    }

    /// <summary>
    /// The failure and, when the message was read, its sender (read as the parser reads it: a From written as one encoded
    /// word too, h32h R10) and subject: staff see whose mail keeps failing, and what the organisation is told counts it.
    /// </summary>
    private void RecordFailure(long mailId, Exception exception, MimeMessage? message)
    {
        var attempts = mails.Attempts(mailId) + 1;
        var retryAt = time.GetUtcNow() + IntakeRetry.Backoff(attempts);
        var error = FailureText.Line(exception);
        var reason = attempts >= IntakeRetry.FailedAfter
            ? $"處理已失敗 {attempts} 次（{error}），原始檔已保存，系統持續重試；請檢查磁碟、資料庫或寄件設定"
            : $"處理暫時失敗（{error}），原始檔已保存，將自動重試（第 {attempts} 次）";
        LogProcessingFailed(exception, mailId, attempts, retryAt);
        mails.RecordFailure(mailId, error, reason, retryAt, IntakeRetry.FailedAfter,
            message is null ? null : MailReader.FromAddress(message), string.IsNullOrEmpty(message?.Subject) ? null : message.Subject);
    }

    /// <summary>Null when the raw file holds what was recorded; otherwise why it cannot be processed (zh-TW, for staff).</summary>
    private async Task<string?> RawDamageAsync(StoredFile raw, CancellationToken cancellationToken)
    {
        var path = rawStore.FullPath(raw.RelativePath);
        if (UnixFiles.WhyUnreachable(path) is not null)
        {
            // Not damaged: out of this user's reach (a folder a command run as root made). An error, retried.
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }

        // A raw folder that is a link (moved to another disk and linked back) is not followed: an error, retried (h14h G4).
        // The raw file itself a link is not the mail kept: judged below.
        StoreFolderLinkedException.ThrowIfThroughLink(rawStore.DataDirectory, Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            // Not a verdict on the mail while its whole DataDirectory is away (moved, unmounted): an error, retried.
            DataDirectoryGoneException.ThrowIfGone(rawStore.DataDirectory);
            return $"原始檔不存在（{raw.RelativePath}），無法處理；如有備份請還原，或請寄件者重寄";
        }

        return raw.Sha256.Length == 0 || await ContentStore.HoldsAsync(path, raw.Sha256, raw.Size, cancellationToken)
            ? null
            : $"原始檔內容與收件時不符（{raw.RelativePath} 之 SHA-256 或大小已變），可能已損壞，未處理；如有備份請還原";
    }

    private async Task ClassifyAsync(long mailId, MimeMessage message, CancellationToken cancellationToken)
    {
        var parsed = MailReader.Read(message);
        var automatic = AutomaticMailDetector.Detect(message);
        if (automatic.Kind != AutomaticKind.None && outbox.IsOwnAddress(parsed.FromAddress))
        {
            CompleteAutomatic(mailId, message, parsed, automatic);
            return;
        }

        MatchResult? named = null;
        if (automatic.Kind != AutomaticKind.None)
        {
            // A machine sign is weighed against what the mail says: a person's reply sent through a copier or a gateway is
            // processed as any mail (with the match made here), and one that names a notice and carries files is never
            // dropped unseen.
            var context = matchContexts.Load(parsed.ThreadIds);
            named = ReplyMatcher.Match(parsed, context);
            switch (AutomaticMailReview.Review(automatic, parsed, named, context))
            {
                case AutomaticReview.Automatic:
                    CompleteAutomatic(mailId, message, parsed, automatic);
                    return;
                case AutomaticReview.HeldForStaff:
                    var kept = await StoreEvidenceAsync(parsed, cancellationToken);
                    var held = AutomaticSignText.Held(automatic, named.Reference is { } one ? [one] : named.Candidates);
                    mails.Complete(mailId, new MailOutcome(MailKind.Unmatched, parsed.FromAddress, parsed.Subject, null, held), kept, time.GetUtcNow());
                    LogNotFiled(mailId, MailKind.Unmatched, held);
                    notes.QueueIfToSettle(mailId);
                    return;
            }
        }

        if (outbox.IsOwnAddress(parsed.FromAddress))
        {
            Complete(mailId, MailKind.Unmatched, parsed, "寄件者是本中心自己之信箱，不視為機關回覆");
            return;
        }

        // A mail carrying an action token is a staff command: never filed as an organisation's reply, and only a member
        // of Staff:Members with a valid token gets it carried out. An organisation's mail (no token) is never a command.
        if (ActionMailReader.Read(message) is { HasToken: true } action)
        {
            var outcome = await staffActions.HandleAsync(mailId, message, parsed, action, cancellationToken);
            LogNotFiled(mailId, outcome.Kind, outcome.Reason);
            if (outcome.Kind == MailKind.Suspicious)
            {
                notes.QueueIfToSettle(mailId);
            }

            return;
        }

        // A member's own mail without a token (a note answered, a prompt replied to) is the center's traffic, not a reply,
        // and the member is told at once that nothing was done —
        // unless it forwards an organisation's mail as an attachment: that is matched as any forward, by the inner sender.
        // Its files are kept either way, so staff can file an inline forward with `mail assign`.
        if (parsed.InnerFromAddresses.Count == 0 && staffActions.MemberWithoutToken(parsed.FromAddress) is { } memberReason)
        {
            var kept = await StoreEvidenceAsync(parsed, cancellationToken);
            mails.Complete(mailId, new MailOutcome(MailKind.Unmatched, parsed.FromAddress, parsed.Subject, null, memberReason), kept, time.GetUtcNow());
            LogNotFiled(mailId, MailKind.Unmatched, memberReason);
            staffActions.AnswerWithoutToken(mailId, message, parsed.FromAddress);
            return;
        }

        var verdict = SenderAuthentication.Check(message, settings.TrustedAuthServIds);
        if (verdict.Failed)
        {
            // Never matched by its (possibly forged) sender: staff look at it and may assign it.
            var kept = await StoreEvidenceAsync(parsed, cancellationToken);
            var reason = $"本中心郵件伺服器驗證寄件者失敗（{verdict.Reason}），可能為偽冒寄件者 {parsed.FromAddress}，請人工確認";
            mails.Complete(mailId, new MailOutcome(MailKind.Suspicious, parsed.FromAddress, parsed.Subject, null, reason), kept, time.GetUtcNow());
            LogNotFiled(mailId, MailKind.Suspicious, reason);
            notes.QueueIfToSettle(mailId);
            return;
        }

        var match = named ?? ReplyMatcher.Match(parsed, matchContexts.Load(parsed.ThreadIds));
        var evidence = await StoreEvidenceAsync(parsed, cancellationToken);
        if (match.Outcome != MatchOutcome.Matched)
        {
            var kind = match.Outcome switch
            {
                MatchOutcome.Ambiguous => MailKind.Ambiguous,
                MatchOutcome.Suspicious => MailKind.Suspicious,
                _ => MailKind.Unmatched,
            };
            var reason = MatchReasonText.Of(match, parsed.FromAddress);
            mails.Complete(mailId, new MailOutcome(kind, parsed.FromAddress, parsed.Subject, null, reason), evidence, time.GetUtcNow());
            LogNotFiled(mailId, kind, reason);
            notes.QueueIfToSettle(mailId);
            return;
        }

        // Matched only by its sender or an organisation code (it names no notice), a mail that reached the center before
        // the notice was issued is no reply to it (h23h N1: a night's mail about another matter became the morning's
        // notice's reply, receipted, its reminders stopped): held for staff, who may assign it. A mail a restore's re-read
        // dated later than the time it carried is judged by that carried time (h30h P12: the lost store had held it).
        if (match.MatchedBy is MatchMethod.Sender or MatchMethod.OrgCode
            && mails.ArrivalAndIssue(mailId, match.Reference!) is { } times && times.Arrival < times.Issued)
        {
            var reason = MatchReasonText.ArrivedBeforeNotice(match.Reference!, times.Arrival, times.Issued, zone, times.Carried);
            mails.Complete(mailId, new MailOutcome(MailKind.Unmatched, parsed.FromAddress, parsed.Subject, null, reason), evidence, time.GetUtcNow());
            LogNotFiled(mailId, MailKind.Unmatched, reason);
            notes.QueueIfToSettle(mailId);
            return;
        }

        // The reply, its evidence rows, the notice's status, the timeline and the receipt: one transaction.
        var filed = await recordReply.ExecuteAsync(new RecordReplyCommand(mailId, match.Reference!, match.MatchedBy!.Value, parsed, evidence), cancellationToken);
        LogFiled(mailId, filed.Notice.Reference, StoredCodes.Text(match.MatchedBy.Value), evidence.Count);
    }

    private void CompleteAutomatic(long mailId, MimeMessage message, ParsedMail parsed, AutomaticClassification automatic)
    {
        if (automatic.Kind == AutomaticKind.Bounce)
        {
            var bounced = bounces.Link(mailId, message);
            var detail = bounced is null
                ? bounces.UntiedReason(message)
                : $"{Labels.Outbound(bounced.Mail.Kind)}寄給 {string.Join("、", bounced.Recipients)} 無法投遞"
                  + (bounced.All ? string.Empty : $"（寄給 {string.Join("、", bounced.Mail.To.Except(bounced.Recipients, StringComparer.OrdinalIgnoreCase))} 者未退信）");
            Complete(mailId, MailKind.Bounce, parsed, $"退信（{AutomaticSignText.Of(automatic)}）：{detail}", bounced?.Mail.NoticeId);
            return;
        }

        Complete(mailId, MailKind.AutoReply, parsed, $"自動回覆（{AutomaticSignText.Of(automatic)}）");
    }

    private void Complete(long mailId, MailKind kind, ParsedMail parsed, string reason, long? noticeId = null)
    {
        mails.Complete(mailId, new MailOutcome(kind, parsed.FromAddress, parsed.Subject, noticeId, reason), [], time.GetUtcNow());
        LogNotFiled(mailId, kind, reason);
    }

    private async Task<IReadOnlyList<EvidenceFile>> StoreEvidenceAsync(ParsedMail parsed, CancellationToken cancellationToken)
    {
        var files = new List<EvidenceFile>(parsed.Attachments.Count);
        foreach (var attachment in parsed.Attachments)
        {
            Func<Stream, CancellationToken, Task> decode =
                (target, token) => attachment.Part.Content is { } content ? content.DecodeToAsync(target, token) : Task.CompletedTask;
            var flags = attachment.Name.Flags.ToList();
            StoredFile stored;
            if (EstimatedSize(attachment.Part) > settings.MaxAttachmentBytes)
            {
                // Recorded with a note either way; the raw mail still holds the bytes.
                flags.Add("oversize");
                if (!settings.KeepOversizeAttachments)
                {
                    flags.Add("not-stored");
                }

                stored = settings.KeepOversizeAttachments
                    ? await evidenceStore.SaveAsync(decode, cancellationToken)
                    : await ContentStore.MeasureAsync(decode, cancellationToken);
            }
            else
            {
                stored = await evidenceStore.SaveAsync(decode, cancellationToken);
            }

            files.Add(new EvidenceFile(attachment.Name.FileName, attachment.OriginalName, stored, attachment.Name.Item, flags, attachment.ContentType));
        }

        return files;
    }

    /// <summary>The decoded size from the encoded one (base64 carries 3 bytes in 4), known before decoding.</summary>
    private static long EstimatedSize(MimePart part)
    {
        var encoded = part.Content?.Stream is { CanSeek: true } stream ? stream.Length : 0;
        return part.ContentTransferEncoding == ContentEncoding.Base64 ? encoded / 4 * 3 : encoded;
    }

    /// <summary>
    /// The arrival the mailbox reported (IMAP INTERNALDATE: a mail fetched after the worker was down, or again after a
    /// restore, keeps the time it reached the server), bounded by the mail's Received chain (<see cref="ArrivalTime"/>).
    /// </summary>
    private DateTimeOffset Arrival(PendingFile raw, DateTimeOffset reported)
    {
        try
        {
            using var stream = File.OpenRead(raw.TempPath);
            return ArrivalTime.Bounded(reported, MailParserOptions.LoadHeaders(stream));
        }
        catch (FormatException exception)
        {
            LogNoHeaders(raw.Sha256, exception.Message);
            return reported;
        }
    }

    private string? ReadMessageId(PendingFile raw)
    {
        try
        {
            using var stream = File.OpenRead(raw.TempPath);
            return MailReader.ReadMessageId(stream);
        }
        catch (FormatException exception)
        {
            // No readable header block: the mail is recorded by its SHA-256 alone.
            LogNoHeaders(raw.Sha256, exception.Message);
            return null;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    [LoggerMessage(LogLevel.Information, "Mail #{MailId} from {Source} is already recorded; not recorded again")]
    private partial void LogDuplicate(long mailId, string source);

    [LoggerMessage(LogLevel.Warning, "Damaged mail #{MailId} is whole again from another delivery of it ({Source}), which is its raw file now")]
    private partial void LogHealed(long mailId, string source);

    [LoggerMessage(LogLevel.Warning, "Mail #{MailId} is not valid MIME ({Reason}); kept raw and recorded as unmatched")]
    private partial void LogUnreadable(long mailId, string reason);

    [LoggerMessage(LogLevel.Warning, "Mail #{MailId} from {Source} stops before its MIME ends (a processed/ file cut short on disk, read again after a restore, or a fresh drop its writer left unfinished): held for staff as unmatched, no receipt")]
    private partial void LogUnfinished(long mailId, string source);

    [LoggerMessage(LogLevel.Error, "Processing mail #{MailId} failed (attempt {Attempts}); kept raw, to be retried at {RetryAt}")]
    private partial void LogProcessingFailed(Exception exception, long mailId, int attempts, DateTimeOffset retryAt);

    [LoggerMessage(LogLevel.Error, "Mail #{MailId} set aside as damaged: {Reason}")]
    private partial void LogDamaged(long mailId, string reason);

    [LoggerMessage(LogLevel.Information, "Mail #{MailId} filed under {Reference} (matched by {MatchedBy}, {Files} attachments)")]
    private partial void LogFiled(long mailId, string reference, string matchedBy, int files);

    [LoggerMessage(LogLevel.Information, "Mail #{MailId} is {Kind}: {Reason}")]
    private partial void LogNotFiled(long mailId, MailKind kind, string? reason);

    [LoggerMessage(LogLevel.Error, "Processing recorded mails stopped after the mailbox pass had failed; they stay recorded and are resumed on the next pass")]
    internal partial void LogBatchAbandoned(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Raw mail {Sha256} has no readable header block ({Reason})")]
    private partial void LogNoHeaders(string sha256, string reason);
}

/// <summary>A raw message written to the raw store's temporary folder, with what recording needs; not yet recorded.</summary>
internal sealed record KeptMail(PendingFile Raw, string Source, string? MessageId, RawMailHashes Hashes)
{
    /// <summary>When it arrived, if known to be earlier than its recording (see <see cref="IntakeProcessor.IngestAsync"/>).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary><see cref="ReceivedAt"/> is exact (recorded before, or a file's own time), kept as it is (see <see cref="IntakeProcessor.IngestAsync"/>).</summary>
    public bool ExactArrival { get; init; }

    /// <summary>A time the mail carried that was not taken as its arrival, kept with it (see <c>MailSummary.CarriedArrival</c>).</summary>
    public DateTimeOffset? CarriedArrival { get; init; }
}
