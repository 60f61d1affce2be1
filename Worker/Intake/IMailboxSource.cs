namespace MailIntake.Worker.Intake;

/// <summary>Where received mail comes from: the center's IMAP mailbox or, by default, a drop folder of .eml files.</summary>
public interface IMailboxSource : IAsyncDisposable
{
    /// <summary>Hands every message not yet seen to the processor; returns how many were new.</summary>
    Task<int> PullAsync(IntakeProcessor processor, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until new mail may be there: IDLE where the server offers it, else the poll interval; and at the latest
    /// until <paramref name="until"/> (a failed mail's retry falling due), when given.
    /// </summary>
    Task WaitForMailAsync(DateTimeOffset? until, CancellationToken cancellationToken);
}
