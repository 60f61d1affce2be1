using MailIntake.Storage;

namespace MailIntake.Worker.Application;

/// <summary>How intake, sending (and the OAuth2 token, where used) fare, and what waits: `status` and the digest render this.</summary>
public sealed record HealthView(
    IReadOnlyList<ComponentHealth> Components,
    bool UsesToken,
    int OutboundQueued,
    int OutboundFailed,
    int OutboundBounced,
    int MailsUnprocessed,
    int MailsToSettle,
    int MailsFailed,
    int MailsDamaged,
    ConnectionDropsView IntakeDrops)
{
    /// <summary>The mailbox read again from its first UID within the last week (the server's store was restored), or null.</summary>
    public MailboxRescan? IntakeRescan { get; init; }

    /// <summary>Mails whose processing failed and waits for its retry, not yet <c>failed</c> (<see cref="MailRepository.CountRetrying"/>).</summary>
    public int MailsRetrying { get; init; }

    /// <summary>Mails whose raw or evidence file is gone from the store, by a quick look (<see cref="StoreVerifier.FindGone"/>).</summary>
    public StoreGone Gone { get; init; } = StoreGone.None;

    /// <summary>Drop-folder files staff must hear of, as the last pass over the folder found them; none on an IMAP mailbox.</summary>
    public DropFolderWaitingView DropFolder { get; init; } = DropFolderWaitingView.None;

    /// <summary>
    /// When the view was built (null: unknown). A health time later than this was recorded by a clock that was ahead (a bad
    /// NTP step, h19h H2): it is no fact about when the thing happened, and is shown as such.
    /// </summary>
    public DateTimeOffset? At { get; init; }

    public ComponentHealth? Component(string name) => Components.SingleOrDefault(candidate => candidate.Component == name);

    /// <summary>The components shown: intake and send, and the token only where OAuth2 is (or was) in use.</summary>
    public IReadOnlyList<string> Shown => UsesToken
        ? [HealthRepository.Intake, HealthRepository.Send, HealthRepository.Token]
        : [HealthRepository.Intake, HealthRepository.Send];

    public IEnumerable<ComponentHealth> Failing => Components.Where(health => health.FailingSince is not null);
}

/// <summary>
/// The drop-folder files the last pass left waiting where staff must hear of it (<see cref="DropFileWait"/>): held open
/// for writing past the patience (not read), or recorded but not moved to <c>processed/</c>. <see cref="At"/> is the
/// moment the view was built, to tell how long each has waited.
/// </summary>
public sealed record DropFolderWaitingView(IReadOnlyList<DropFileWaiting> Files, DateTimeOffset At)
{
    public static readonly DropFolderWaitingView None = new([], DateTimeOffset.MinValue);

    public IReadOnlyList<DropFileWaiting> HeldOpen => Files.Where(file => file.Reason == DropFileWait.OpenForWriting).ToList();

    public IReadOnlyList<DropFileWaiting> NotMoved => Files.Where(file => file.Reason == DropFileWait.NotMoved).ToList();
}

public sealed class HealthQuery(
    HealthRepository health, OutboundRepository outbound, MailRepository mails, ConnectionDropsQuery drops, CheckpointRepository checkpoints,
    DropFolderWaitingRepository dropFolder, StoreVerifier store, Options.MailIntakeOptions options, TimeProvider time)
{
    /// <summary>How long a rescan of the mailbox stays in status.</summary>
    public static readonly TimeSpan RescanShownFor = TimeSpan.FromDays(7);

    public HealthView Get()
    {
        var components = health.List();
        return new HealthView(
            components,
            options.UsesOAuth2 || components.Any(component => component.Component == HealthRepository.Token),
            outbound.CountByStatus(OutboundStatus.Queued),
            outbound.CountByStatus(OutboundStatus.Failed),
            outbound.CountByStatus(OutboundStatus.Bounced),
            mails.CountByKind(MailKind.Received),
            mails.CountToSettle(),
            mails.CountByKind(MailKind.Failed),
            mails.CountDamagedUndismissed(),
            drops.Intake())
        {
            MailsRetrying = mails.CountRetrying(),
            IntakeRescan = checkpoints.LastRescanSince(time.GetUtcNow() - RescanShownFor),
            DropFolder = options.Mailbox.Kind == Options.MailboxKind.Folder ? new(dropFolder.List(), time.GetUtcNow()) : DropFolderWaitingView.None,
            Gone = store.FindGone(),
            At = time.GetUtcNow(),
        };
    }
}
