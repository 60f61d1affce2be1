using MailIntake.Parsing;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Mail;
using MailIntake.Worker.Options;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Microsoft.Extensions.Logging;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The center's IMAP mailbox. Progress is (UIDVALIDITY, last UID), stored with each recorded message;
/// the folder is opened read-only, so nothing on the server changes (no deletes, no \Seen).
/// One connection is kept open between passes and used for IDLE. When the server drops it (during IDLE, a FETCH or a
/// login), the drop is recorded and the connection let go; the next attempt connects anew (see <see cref="IntakeRunner"/>).
/// </summary>
public sealed partial class ImapMailboxSource(
    MailboxOptions options,
    CheckpointRepository checkpoints,
    MailRepository mails,
    ConnectionDropRepository drops,
    TimeProvider time,
    ILogger<ImapMailboxSource> logger,
    OAuthTokenSource? tokens = null) : IMailboxSource
{
    /// <summary>UIDs per FETCH command; each message is handed over (and held by MailKit) one at a time.</summary>
    private const int FetchBatchSize = 100;

    /// <summary>
    /// Mails made durable and recorded together: their fsyncs overlap and one transaction records them. Small, so that the
    /// mails recorded but not yet processed at any moment (what a restart processes before it fetches again) stay few.
    /// </summary>
    private const int GroupCommitSize = 8;

    /// <summary>RFC 2177: a server may end an IDLE after 30 minutes; re-issuing it well before costs one pass.</summary>
    private static readonly TimeSpan IdleRestart = TimeSpan.FromMinutes(9);

    private ImapClient? _client;

    /// <summary>
    /// The DataDirectory, whose disk's free space decides whether a mail is fetched now: one larger than it (by its
    /// RFC822.SIZE) is left on the server and tried again by every pass. Null: every mail is fetched.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Room kept free beside a mail fetched: the database, evidence and the other writers on that disk need some.</summary>
    private const long KeptFree = 1024 * 1024;

    /// <summary>How far the program's clock runs from the real one the server stamps INTERNALDATE by (<c>Clock:Offset</c>).</summary>
    public TimeSpan ServerClockShift { get; init; }

    /// <summary>Whether the current client reached the server: a failure after that is a drop, before it a failed connect.</summary>
    private bool _reachedServer;

    private OAuthTokenSource Tokens => tokens ?? throw new InvalidOperationException("Mailbox:Auth is OAuth2 but no token source was given");

    /// <summary>
    /// The message count the last pass's EXAMINE reported; its SEARCH covers at least those. The server announces
    /// a message once (EXISTS): one that arrives during a pass is announced then (even in the SEARCH response,
    /// without being in its result) and never again in the IDLE that follows.
    /// </summary>
    private int _countSearched = -1;

    private string CheckpointKey => $"imap://{options.User}@{options.Host}:{options.Port}/{options.Folder}";

    public async Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken)
    {
        try
        {
            return await PullOnceAsync(processor, cancellationToken);
        }
        catch (Exception exception) when (exception is not AuthenticationException and not OperationCanceledException)
        {
            // The connection is in an unknown state after a failure: the next attempt starts on a fresh one.
            await LetGoAsync(exception);
            throw;
        }
    }

    private async Task<int> PullOnceAsync(IntakeProcessor processor, CancellationToken cancellationToken)
    {
        var folder = await OpenFolderAsync(cancellationToken, reexamine: true);
        _countSearched = folder.Count;
        var validity = folder.UidValidity;
        var checkpoint = checkpoints.Get(CheckpointKey);
        long lastUid = 0;
        if (checkpoint is not null && checkpoint.UidValidity == validity)
        {
            lastUid = checkpoint.LastUid;
            if (lastUid > 0 && await UidsHandedOutAgainAsync(folder, validity, lastUid, cancellationToken) is { } reason)
            {
                // The server's store was restored (a backup, a snapshot) and kept its UIDVALIDITY: mail that came since
                // took UIDs already read, and "after the last UID" would skip it for ever. Read everything again; the
                // Message-ID and raw-hash checks keep what is already recorded from being recorded twice.
                LogRescan(folder.FullName, reason);
                checkpoints.Rescan(checkpoint, reason, time.GetUtcNow());
                lastUid = 0;
            }
        }
        else if (checkpoint is not null)
        {
            // A new UIDVALIDITY means the old UIDs mean nothing: read everything again; the Message-ID
            // and raw-hash checks keep what is already recorded from being recorded twice.
            LogResync(folder.FullName, checkpoint.UidValidity, validity);
        }

        // Mail left on the server by earlier passes (larger than the free space then), below the checkpoint: tried again.
        checkpoints.ForgetSkippedExcept(CheckpointKey, validity);
        var holes = checkpoints.Skipped(CheckpointKey, validity).Where(skip => skip.Uid <= lastUid)
            .Select(skip => new UniqueId(validity, (uint)skip.Uid)).ToList();
        if (holes.Count == 0 && (folder.Count == 0 || (folder.UidNext is { } next && next.Id <= lastUid + 1)))
        {
            return 0;
        }

        var range = new UniqueIdRange(new UniqueId(validity, (uint)(lastUid + 1)), UniqueId.MaxValue);
        var uids = folder.Count == 0 ? [] : (await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken))
            .Where(uid => uid.Id > lastUid)
            .OrderBy(uid => uid.Id)
            .ToList();
        // Many UIDs per FETCH: one round trip per 100 mails instead of one per mail. Their raw files are written as the
        // messages arrive and made durable and recorded a few at a time (a group commit, see IntakeCommits). IMAP does not
        // promise FETCH order, so the checkpoint covers only the UIDs of this pass that are all recorded.
        var intake = processor.StartBatch(GroupCommitSize, cancellationToken);
        var commits = new IntakeCommits(intake, uids, new MailboxCheckpoint(CheckpointKey, validity, 0));
        var pass = new SkipsOfAPass(holes);
        try
        {
            foreach (var batch in holes.Concat(uids).Chunk(FetchBatchSize))
            {
                await FetchBatchAsync(folder, validity, batch, commits, pass, cancellationToken);
                await commits.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            await intake.AbandonAsync();
            throw;
        }

        await intake.CompleteAsync();
        foreach (var uid in pass.HolesDone)
        {
            // Recorded (committed above) or gone from the server: no longer tried.
            checkpoints.Unskip(CheckpointKey, validity, uid.Id);
        }

        LogPulled(uids.Count, commits.Added, folder.FullName);
        return pass.Skipped.Count == 0 ? commits.Added : throw new MailboxMailSkippedException(pass.Skipped, commits.Added);
    }

    /// <summary>What one pass left on the server (too large for the free space) and which earlier holes it closed.</summary>
    private sealed class SkipsOfAPass(IReadOnlyList<UniqueId> holes)
    {
        public HashSet<UniqueId> Holes { get; } = [.. holes];

        public List<UniqueId> HolesDone { get; } = [];

        public List<MailboxSkip> Skipped { get; } = [];
    }

    /// <summary>
    /// The mails of a FETCH batch larger than the room left on the DataDirectory's disk (each one fetched before it takes
    /// its size from that room), with their sender: each is kept as a skip, which lets the checkpoint pass it.
    /// </summary>
    private async Task<HashSet<UniqueId>> SkipTooLargeAsync(IMailFolder folder, uint validity, IList<IMessageSummary> sizes, IntakeCommits commits, SkipsOfAPass pass,
        CancellationToken cancellationToken)
    {
        if (DataDirectory is null || !Directory.Exists(DataDirectory))
        {
            return [];
        }

        var free = new DriveInfo(DataDirectory).AvailableFreeSpace;
        var room = free - KeptFree;
        var tooLarge = new List<IMessageSummary>();
        foreach (var summary in sizes.OrderBy(summary => summary.UniqueId.Id))
        {
            var size = (long)(summary.Size ?? 0);
            if (size > room)
            {
                tooLarge.Add(summary);
            }
            else
            {
                room -= size;
            }
        }

        if (tooLarge.Count == 0)
        {
            return [];
        }

        var envelopes = (await folder.FetchAsync(tooLarge.Select(summary => summary.UniqueId).ToList(), MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope, cancellationToken))
            .ToDictionary(summary => summary.UniqueId, summary => summary.Envelope?.From.Mailboxes.FirstOrDefault()?.Address);
        foreach (var summary in tooLarge)
        {
            var skip = new MailboxSkip(CheckpointKey, validity, summary.UniqueId.Id, (long)(summary.Size ?? 0), envelopes.GetValueOrDefault(summary.UniqueId), free, time.GetUtcNow());
            checkpoints.Skip(skip);
            pass.Skipped.Add(skip);
            commits.Passed(summary.UniqueId);
            LogSkippedTooLarge(summary.UniqueId.Id, folder.FullName, skip.Size, free);
        }

        return tooLarge.Select(summary => summary.UniqueId).ToHashSet();
    }

    /// <summary>
    /// Null when the folder still agrees with the checkpoint; otherwise why its UIDs were handed out again (zh-TW, for
    /// status): UIDNEXT is not past the last UID read, or the last UID read (or the highest below it still there) now
    /// names another message than the one recorded from it.
    /// </summary>
    private async Task<string?> UidsHandedOutAgainAsync(IMailFolder folder, uint validity, long lastUid, CancellationToken cancellationToken)
    {
        if (folder.UidNext is { } next && next.Id <= lastUid)
        {
            return $"郵件伺服器之信箱 {folder.FullName} 下一個 UID 為 {next.Id}，不大於已讀取之 UID {lastUid}（伺服器信箱曾還原）";
        }

        var uid = new UniqueId(validity, (uint)lastUid);
        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size) { Headers = new HeaderSet([HeaderId.MessageId]) };
        var summaries = await folder.FetchAsync([uid], request, cancellationToken);
        if (summaries.Count == 0)
        {
            // Expunged since (staff moved it): the highest UID below it that is still there tells as well.
            var below = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(validity, 1), uid)), cancellationToken);
            if (below.Count == 0)
            {
                return null;
            }

            uid = new UniqueId(validity, below.Max(found => found.Id));
            summaries = await folder.FetchAsync([uid], request, cancellationToken);
            if (summaries.Count == 0)
            {
                return null;
            }
        }

        var messageId = MailReader.NormaliseMessageId(summaries[0].Headers?[HeaderId.MessageId]);
        return mails.IsRecordedFrom(Source(folder, validity, uid), messageId, (long)(summaries[0].Size ?? 0)) == false
            ? $"郵件伺服器之信箱 {folder.FullName} 之 UID {uid.Id} 已是另一封郵件（伺服器信箱曾還原，UID 重新使用）"
            : null;
    }

    /// <summary>
    /// Writes the raw file of every message of one FETCH batch: those up to <see cref="MailboxOptions.LargeMailBytes"/> in
    /// one FETCH (MailKit holds each in memory while it is written), larger ones in pieces of that size, each piece
    /// straight to the raw file, so a message of any size costs one piece of memory.
    /// </summary>
    private async Task FetchBatchAsync(IMailFolder folder, uint validity, IList<UniqueId> batch, IntakeCommits commits, SkipsOfAPass pass, CancellationToken cancellationToken)
    {
        var sizes = await folder.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.InternalDate, cancellationToken);
        // A hole the server no longer has (expunged) is done with; one still too large stays a hole.
        pass.HolesDone.AddRange(batch.Where(pass.Holes.Contains).Except(sizes.Select(summary => summary.UniqueId)));
        var skipped = await SkipTooLargeAsync(folder, validity, sizes, commits, pass, cancellationToken);
        batch = batch.Except(skipped).ToList();
        sizes = sizes.Where(summary => !skipped.Contains(summary.UniqueId)).ToList();
        if (batch.Count == 0)
        {
            return;
        }

        var large = sizes.Where(summary => summary.Size > (uint)options.LargeMailBytes).ToDictionary(summary => summary.UniqueId, summary => (long)summary.Size!.Value);
        // When each reached the server: a mail fetched late (the worker was down, a restore) keeps its true arrival.
        var arrived = sizes.Where(summary => summary.InternalDate is not null).ToDictionary(summary => summary.UniqueId, summary => summary.InternalDate!.Value + ServerClockShift);
        var small = batch.Where(uid => !large.ContainsKey(uid)).ToList();
        if (small.Count > 0)
        {
            await ((IImapFolder)folder).GetStreamsAsync(
                small,
                async (_, _, uid, stream, token) =>
                {
                    await commits.Intake.AddAsync(stream, Source(folder, validity, uid), token, arrived.TryGetValue(uid, out var at) ? at : null);
                    await commits.FetchedAsync(uid, token);
                    if (pass.Holes.Contains(uid))
                    {
                        pass.HolesDone.Add(uid);
                    }
                },
                cancellationToken);
        }

        foreach (var uid in batch.Where(large.ContainsKey))
        {
            try
            {
                await commits.Intake.AddAsync((target, token) => FetchInPiecesAsync(folder, uid, large[uid], target, token), Source(folder, validity, uid), cancellationToken,
                    arrived.TryGetValue(uid, out var at) ? at : null);
            }
            catch (MessageNotFoundException)
            {
                // Expunged since the SEARCH, as a message the batch FETCH does not return: not there to be kept. Its UID
                // stays uncovered, so the checkpoint does not pass it in this pass.
                LogGone(uid.Id, folder.FullName);
                continue;
            }

            await commits.FetchedAsync(uid, cancellationToken);
            if (pass.Holes.Contains(uid))
            {
                pass.HolesDone.Add(uid);
            }
        }
    }

    /// <summary>
    /// BODY.PEEK[]&lt;offset.size&gt; piece after piece, each copied to <paramref name="target"/>, until a piece comes back
    /// short. Short before the server's RFC822.SIZE means the message may have gone while it was read (expunged or moved by
    /// another session: the server then serves nothing more): it is kept only if it is still there, else it counts as gone
    /// and is not recorded. A server whose RFC822.SIZE overstates (some do) keeps what it served.
    /// </summary>
    private async Task FetchInPiecesAsync(IMailFolder folder, UniqueId uid, long serverSize, Stream target, CancellationToken cancellationToken)
    {
        var pieceSize = options.LargeMailBytes;
        var buffer = new byte[81920];
        for (long offset = 0, pieces = 1; ; offset += pieceSize, pieces++)
        {
            long received = 0;
            await using (var piece = await folder.GetStreamAsync(uid, checked((int)offset), pieceSize, cancellationToken))
            {
                int read;
                while ((read = await piece.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    received += read;
                }
            }

            if (received < pieceSize)
            {
                var total = offset + received;
                if (total < serverSize)
                {
                    await EnsureStillThereAsync(folder, uid, total, serverSize, cancellationToken);
                }

                LogFetchedInPieces(uid.Id, folder.FullName, total, pieces);
                return;
            }
        }
    }

    /// <summary>Throws <see cref="MessageNotFoundException"/> when the message was expunged while it was read.</summary>
    private async Task EnsureStillThereAsync(IMailFolder folder, UniqueId uid, long received, long serverSize, CancellationToken cancellationToken)
    {
        // NOOP first: the server tells this session of expunges by other sessions only between commands.
        if (_client is { } connected)
        {
            await connected.NoOpAsync(cancellationToken);
        }

        var still = await folder.FetchAsync([uid], MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);
        if (still.Count == 0)
        {
            throw new MessageNotFoundException($"UID {uid.Id} was expunged after {received} of its {serverSize} bytes were read");
        }

        LogShorterThanItsSize(uid.Id, folder.FullName, received, serverSize);
    }

    private static string Source(IMailFolder folder, uint validity, UniqueId uid) => $"imap:{folder.FullName}:{validity}:{uid.Id}";

    /// <summary>Returns when there may be mail to fetch: announced by IDLE, the poll interval over, or the connection dropped.</summary>
    public async Task WaitForMailAsync(DateTimeOffset? until, CancellationToken cancellationToken)
    {
        try
        {
            await IdleOrPollAsync(until, cancellationToken);
        }
        catch (Exception exception) when (MailResilience.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Mail may have come while the connection was down, and nothing waits for it now: go and look at once.
            await LetGoAsync(exception);
        }
    }

    private async Task IdleOrPollAsync(DateTimeOffset? until, CancellationToken cancellationToken)
    {
        if (!options.UseIdle || _client is not { IsConnected: true, IsAuthenticated: true } client
            || !client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(IntakeWait.AtMost(options.PollInterval, until, time), time, cancellationToken);
            return;
        }

        var folder = await OpenFolderAsync(cancellationToken);
        // IDLE ends by DONE (never by cancelling the command, which drops the connection) when it is renewed or a
        // failed mail's retry falls due, whichever comes first.
        using var done = new CancellationTokenSource(IntakeWait.AtMost(IdleRestart, until, time), time);
        void OnCountChanged(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += OnCountChanged;
        try
        {
            if (folder.Count != _countSearched)
            {
                return; // mail announced after the last pass's search: go and fetch it instead of idling past it
            }

            await client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            folder.CountChanged -= OnCountChanged;
        }
    }

    private async Task<IMailFolder> OpenFolderAsync(CancellationToken cancellationToken, bool reexamine = false)
    {
        var client = await ConnectAsync(cancellationToken);
        var folder = string.Equals(options.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(options.Folder, cancellationToken);
        // A pass on the connection kept open since the last one must ask the server again: Count, UidNext and
        // UidValidity are what the last EXAMINE said (IDLE updates Count, never UidNext), so without this the
        // "nothing new" check below holds forever and mail arriving while the worker runs is never fetched.
        if (!folder.IsOpen || reexamine)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        return folder;
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true, IsAuthenticated: true })
        {
            if (options.Auth == MailAuth.OAuth2)
            {
                await Tokens.RenewIfDueAsync(cancellationToken);
            }

            return _client;
        }

        await DropClientAsync();
        var client = MailClients.Secured(new ImapClient(), options.CaCertificate);
        _client = client;
        await client.ConnectAsync(options.Host, options.Port, options.Security.ToSocketOptions(), cancellationToken);
        _reachedServer = true;
        if (options.Auth == MailAuth.OAuth2)
        {
            await Tokens.LogInAsync(client, options.User, cancellationToken);
        }
        else
        {
            await client.AuthenticateAsync(options.User, options.Password, cancellationToken);
        }

        LogConnected(options.Host, options.Port, options.User);
        return client;
    }

    /// <summary>After a failure: a connection the server had accepted counts as dropped; either way it is closed.</summary>
    private async Task LetGoAsync(Exception exception)
    {
        if (_reachedServer && MailResilience.IsTransient(exception))
        {
            var reason = FailureText.Line(exception);
            drops.Record(HealthRepository.Intake, reason, time.GetUtcNow());
            LogDropped(options.Host, options.Port, reason);
        }

        await DropClientAsync();
    }

    private async Task DropClientAsync()
    {
        _reachedServer = false;
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        await MailClients.CloseAsync(client, LogDisconnectFailed);
    }

    public async ValueTask DisposeAsync() => await DropClientAsync();

    [LoggerMessage(LogLevel.Information, "IMAP {Folder}: UID {Uid} ({Bytes} bytes) fetched in {Pieces} pieces straight to its raw file")]
    private partial void LogFetchedInPieces(uint uid, string folder, long bytes, long pieces);

    [LoggerMessage(LogLevel.Warning, "IMAP {Folder}: UID {Uid} gave {Received} bytes where its RFC822.SIZE said {ServerSize}, and is still there: kept as the server serves it")]
    private partial void LogShorterThanItsSize(uint uid, string folder, long received, long serverSize);

    [LoggerMessage(LogLevel.Warning, "IMAP {Folder}: UID {Uid} ({Bytes} bytes) is larger than the DataDirectory's free space ({Free} bytes): left on the server, tried again by the next pass")]
    private partial void LogSkippedTooLarge(uint uid, string folder, long bytes, long free);

    [LoggerMessage(LogLevel.Information, "IMAP {Folder}: UID {Uid} was expunged before it could be fetched")]
    private partial void LogGone(uint uid, string folder);

    [LoggerMessage(LogLevel.Information, "IMAP connected to {Host}:{Port} as {User}")]
    private partial void LogConnected(string host, int port, string user);

    [LoggerMessage(LogLevel.Information, "IMAP {Folder}: {Seen} new UID(s), {Added} new mail(s) recorded")]
    private partial void LogPulled(int seen, int added, string folder);

    [LoggerMessage(LogLevel.Warning, "IMAP {Folder}: UIDVALIDITY changed from {Old} to {New}; resynchronising against recorded Message-IDs and hashes")]
    private partial void LogResync(string folder, long old, uint @new);

    [LoggerMessage(LogLevel.Warning, "IMAP {Folder}: UIDs were handed out again under the same UIDVALIDITY ({Reason}); reading the whole folder again against recorded Message-IDs and hashes")]
    private partial void LogRescan(string folder, string reason);

    [LoggerMessage(LogLevel.Warning, "IMAP connection to {Host}:{Port} dropped ({Reason}); reconnecting now")]
    private partial void LogDropped(string host, int port, string reason);

    [LoggerMessage(LogLevel.Debug, "IMAP disconnect after a failure also failed: {Reason}")]
    private partial void LogDisconnectFailed(string reason);
}

/// <summary>
/// The group commits of one pass: the UIDs whose raw files are written wait in the current group; when it is full (and
/// at the end of each FETCH) the group is recorded with the checkpoint past every UID of the pass recorded by then.
/// </summary>
internal sealed class IntakeCommits(IntakeBatch intake, IReadOnlyList<UniqueId> uids, MailboxCheckpoint mailbox)
{
    private readonly List<uint> _group = [];
    private readonly HashSet<uint> _recorded = [];
    private int _covered;

    public IntakeBatch Intake => intake;

    /// <summary>New mails recorded so far in this pass.</summary>
    public int Added { get; private set; }

    /// <summary>The raw file of <paramref name="uid"/> is written; commits the group once it is full.</summary>
    public async Task FetchedAsync(UniqueId uid, CancellationToken cancellationToken)
    {
        _group.Add(uid.Id);
        if (_group.Count >= intake.GroupSize)
        {
            await CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A UID left on the server and kept as a skip (retried by every pass): the checkpoint may pass it, so later mail is
    /// not held up behind it.
    /// </summary>
    public void Passed(UniqueId uid) => _recorded.Add(uid.Id);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        _recorded.UnionWith(_group);
        _group.Clear();
        while (_covered < uids.Count && _recorded.Contains(uids[_covered].Id))
        {
            _covered++;
        }

        Added += await intake.CommitAsync(_covered > 0 ? mailbox with { LastUid = uids[_covered - 1].Id } : null, cancellationToken);
    }
}
