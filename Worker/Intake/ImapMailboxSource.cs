using MailIntake.Storage;
using MailIntake.Worker.Mail;
using MailIntake.Worker.Options;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Polly;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The center's IMAP mailbox. Progress is (UIDVALIDITY, last UID), stored with each recorded message;
/// the folder is opened read-only, so nothing on the server changes (no deletes, no \Seen).
/// One connection is kept open between passes and used for IDLE.
/// </summary>
public sealed partial class ImapMailboxSource(
    MailboxOptions options,
    CheckpointRepository checkpoints,
    ResiliencePipeline pipeline,
    TimeProvider time,
    ILogger<ImapMailboxSource> logger,
    OAuthTokenSource? tokens = null) : IMailboxSource
{
    /// <summary>UIDs per FETCH command; each message is still handed over (and held by MailKit) one at a time.</summary>
    private const int FetchBatchSize = 100;

    private ImapClient? _client;

    private OAuthTokenSource Tokens => tokens ?? throw new InvalidOperationException("Mailbox:Auth is OAuth2 but no token source was given");

    /// <summary>
    /// The message count the last pass's EXAMINE reported; its SEARCH covers at least those. The server announces
    /// a message once (EXISTS): one that arrives during a pass is announced then (even in the SEARCH response,
    /// without being in its result) and never again in the IDLE that follows.
    /// </summary>
    private int _countSearched = -1;

    private string CheckpointKey => $"imap://{options.User}@{options.Host}:{options.Port}/{options.Folder}";

    public async Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            async token =>
            {
                try
                {
                    return await PullOnceAsync(processor, token);
                }
                catch (Exception exception) when (exception is not AuthenticationException and not OperationCanceledException)
                {
                    // The connection is in an unknown state after a failure: start the next attempt on a fresh one.
                    await DropClientAsync();
                    throw;
                }
            },
            cancellationToken);

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
        }
        else if (checkpoint is not null)
        {
            // A new UIDVALIDITY means the old UIDs mean nothing: read everything again; the Message-ID
            // and raw-hash checks keep what is already recorded from being recorded twice.
            LogResync(folder.FullName, checkpoint.UidValidity, validity);
        }

        if (folder.Count == 0 || (folder.UidNext is { } next && next.Id <= lastUid + 1))
        {
            return 0;
        }

        var range = new UniqueIdRange(new UniqueId(validity, (uint)(lastUid + 1)), UniqueId.MaxValue);
        var uids = (await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken))
            .Where(uid => uid.Id > lastUid)
            .OrderBy(uid => uid.Id)
            .ToList();
        // Many UIDs per FETCH: one round trip per batch instead of one per mail. MailKit hands each message over as it
        // arrives, in the order the server sends them (ascending UIDs from Dovecot, but IMAP does not promise it), so the
        // checkpoint given with each message covers only the UIDs of this pass that are all recorded by then.
        var added = 0;
        var recorded = new HashSet<uint>();
        var covered = 0;
        var intake = processor.StartBatch(cancellationToken);
        try
        {
            foreach (var batch in uids.Chunk(FetchBatchSize))
            {
                await ((IImapFolder)folder).GetStreamsAsync(
                    batch,
                    async (_, _, uid, stream, token) =>
                    {
                        recorded.Add(uid.Id);
                        while (covered < uids.Count && recorded.Contains(uids[covered].Id))
                        {
                            covered++;
                        }

                        var result = await intake.IngestAsync(
                            stream,
                            $"imap:{folder.FullName}:{validity}:{uid.Id}",
                            covered > 0 ? new MailboxCheckpoint(CheckpointKey, validity, uids[covered - 1].Id) : null,
                            token);
                        added += result.IsNew ? 1 : 0;
                    },
                    cancellationToken);
            }
        }
        catch
        {
            await intake.AbandonAsync();
            throw;
        }

        await intake.CompleteAsync();
        LogPulled(uids.Count, added, folder.FullName);
        return added;
    }

    public async Task WaitForMailAsync(CancellationToken cancellationToken)
    {
        if (!options.UseIdle || _client is not { IsConnected: true, IsAuthenticated: true } client
            || !client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(options.PollInterval, time, cancellationToken);
            return;
        }

        var folder = await OpenFolderAsync(cancellationToken);
        // Servers drop an IDLE after 30 minutes; re-issue well before that.
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(9), time);
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

    private async Task DropClientAsync()
    {
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        await MailClients.CloseAsync(client, LogDisconnectFailed);
    }

    public async ValueTask DisposeAsync() => await DropClientAsync();

    [LoggerMessage(LogLevel.Information, "IMAP connected to {Host}:{Port} as {User}")]
    private partial void LogConnected(string host, int port, string user);

    [LoggerMessage(LogLevel.Information, "IMAP {Folder}: {Seen} new UID(s), {Added} new mail(s) recorded")]
    private partial void LogPulled(int seen, int added, string folder);

    [LoggerMessage(LogLevel.Warning, "IMAP {Folder}: UIDVALIDITY changed from {Old} to {New}; resynchronising against recorded Message-IDs and hashes")]
    private partial void LogResync(string folder, long old, uint @new);

    [LoggerMessage(LogLevel.Debug, "IMAP disconnect after a failure also failed: {Reason}")]
    private partial void LogDisconnectFailed(string reason);
}
