using System.Threading.Channels;
using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The messages of one mailbox pull, recorded in small groups. Each message is written to a raw file as it arrives;
/// <see cref="CommitAsync"/> then makes the group's raw files durable together and records them, with the checkpoint past
/// them, in one transaction (a group commit: their fsyncs overlap and one commit records them, instead of three flushes
/// one after another per mail). The recorded mails are processed in that same order on a second task, at most one group
/// behind, so the next messages download while the ones before are parsed, matched and filed. Nothing is recorded before
/// its raw file is durable, the checkpoint never passes an unrecorded message, and a mail recorded but not processed when
/// a pass stops is resumed by the next pass, as after a crash; a kill before a commit leaves unrecorded raw files whose
/// messages the next pass fetches and records again.
/// </summary>
public sealed class IntakeBatch
{
    private readonly IntakeProcessor _processor;
    private readonly List<KeptMail> _group = [];
    private readonly Channel<(long MailId, StoredFile Raw)> _recorded;
    private readonly Task _processing;

    internal IntakeBatch(IntakeProcessor processor, int groupSize, CancellationToken cancellationToken)
    {
        _processor = processor;
        GroupSize = groupSize;
        // One group ahead of the processing at most: only ids wait here, their raw files are on disk.
        _recorded = Channel.CreateBounded<(long, StoredFile)>(
            new BoundedChannelOptions(groupSize) { SingleReader = true, SingleWriter = true });
        _processing = Task.Run(() => ProcessRecordedAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Mails per group commit: the caller commits when this many are written.</summary>
    public int GroupSize { get; }

    /// <summary>Writes one message of the current group to a raw file (not yet durable, not yet recorded).</summary>
    public async Task AddAsync(Func<Stream, CancellationToken, Task> writeRaw, string source, CancellationToken cancellationToken, DateTimeOffset? reportedArrival = null)
    {
        if (_processing.IsFaulted)
        {
            // Stop fetching more behind a processor that has stopped; its error is the pass's error.
            await _processing;
        }

        _group.Add(await _processor.KeepAsync(writeRaw, source, cancellationToken, reportedArrival));
    }

    /// <summary>Writes one message of the current group from a stream (see <see cref="AddAsync(Func{Stream, CancellationToken, Task}, string, CancellationToken)"/>).</summary>
    public Task AddAsync(Stream raw, string source, CancellationToken cancellationToken, DateTimeOffset? reportedArrival = null) =>
        AddAsync((target, token) => raw.CopyToAsync(target, token), source, cancellationToken, reportedArrival);

    /// <summary>
    /// Makes the current group's raw files durable, records them and the checkpoint in one transaction, and queues the
    /// new ones for processing. Returns how many were new.
    /// </summary>
    public async Task<int> CommitAsync(MailboxCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (_group.Count == 0)
        {
            return 0;
        }

        var recorded = await _processor.RecordAsync(_group.ToList(), checkpoint, cancellationToken);
        _group.Clear();
        var added = 0;
        foreach (var (result, raw) in recorded.Where(entry => entry.Result.IsNew || entry.Result.ToProcess))
        {
            await QueueAsync((result.MailId, raw), cancellationToken);
            added += result.IsNew ? 1 : 0;
        }

        return added;
    }

    /// <summary>Waits until every recorded mail is processed; a processing failure is thrown here.</summary>
    public async Task CompleteAsync()
    {
        _recorded.Writer.TryComplete();
        await _processing;
    }

    /// <summary>
    /// After the pull failed: drops the raw files of the group not yet recorded (the checkpoint did not pass them, so
    /// they are fetched again), processes what was recorded, then lets the pull's own error go on. A processing failure
    /// too is logged; those mails stay recorded and are resumed by the next pass.
    /// </summary>
    public async Task AbandonAsync()
    {
        ContentStore.Discard(_group.Select(mail => mail.Raw));
        _group.Clear();
        _recorded.Writer.TryComplete();
        try
        {
            await _processing;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _processor.LogBatchAbandoned(exception);
        }
    }

    /// <summary>
    /// Hands a recorded mail to the processing task, waiting while it is a group behind — but not for a task that has
    /// stopped (processing failed and so did recording the failure, e.g. on a full disk): that would wait for ever, inside
    /// the FETCH whose response nobody reads any more. Its error is then the pass's error.
    /// </summary>
    private async Task QueueAsync((long MailId, StoredFile Raw) mail, CancellationToken cancellationToken)
    {
        while (!_recorded.Writer.TryWrite(mail))
        {
            var room = _recorded.Writer.WaitToWriteAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(room, _processing) == _processing)
            {
                await _processing;
                throw new InvalidOperationException("the processing of recorded mails ended before the batch did");
            }

            await room;
        }
    }

    private async Task ProcessRecordedAsync(CancellationToken cancellationToken)
    {
        await foreach (var (mailId, raw) in _recorded.Reader.ReadAllAsync(cancellationToken))
        {
            await _processor.ProcessAsync(mailId, raw, cancellationToken);
        }
    }
}
