using System.Threading.Channels;
using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// The messages of one mailbox pull. Each is kept raw and recorded (with its checkpoint) as it arrives, in arrival
/// order, exactly as <see cref="IntakeProcessor.IngestAsync"/> does; the recorded ones are then processed in that same
/// order on a second task, so the next message downloads and is recorded while the one before is parsed, matched and
/// filed. Record-before-checkpoint and exactly-once stay with the recording; a mail recorded but not processed when a
/// pass stops is resumed by the next pass, as after a crash.
/// </summary>
public sealed class IntakeBatch
{
    // A few mails ahead at most: their raw files are on disk, only their ids wait here.
    private const int MaxRecordedAhead = 16;

    private readonly IntakeProcessor _processor;
    private readonly Channel<(long MailId, StoredFile Raw)> _recorded =
        Channel.CreateBounded<(long, StoredFile)>(new BoundedChannelOptions(MaxRecordedAhead) { SingleReader = true, SingleWriter = true });
    private readonly Task _processing;

    internal IntakeBatch(IntakeProcessor processor, CancellationToken cancellationToken)
    {
        _processor = processor;
        _processing = Task.Run(() => ProcessRecordedAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Records the message now and queues it for processing if it is new; fails at once if processing has failed.</summary>
    public async Task<RecordResult> IngestAsync(Stream raw, string source, MailboxCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (_processing.IsFaulted)
        {
            // Stop recording more behind a processor that has stopped; its error is the pass's error.
            await _processing;
        }

        var (result, stored) = await _processor.RecordAsync(raw, source, checkpoint, cancellationToken);
        if (result.IsNew)
        {
            await _recorded.Writer.WriteAsync((result.MailId, stored), cancellationToken);
        }

        return result;
    }

    /// <summary>Waits until every recorded mail is processed; a processing failure is thrown here.</summary>
    public async Task CompleteAsync()
    {
        _recorded.Writer.TryComplete();
        await _processing;
    }

    /// <summary>
    /// After the pull failed: processes what was recorded, then lets the pull's own error go on. A processing failure
    /// too is logged; those mails stay recorded and are resumed by the next pass.
    /// </summary>
    public async Task AbandonAsync()
    {
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

    private async Task ProcessRecordedAsync(CancellationToken cancellationToken)
    {
        await foreach (var (mailId, raw) in _recorded.Reader.ReadAllAsync(cancellationToken))
        {
            await _processor.ProcessAsync(mailId, raw, cancellationToken);
        }
    }
}
