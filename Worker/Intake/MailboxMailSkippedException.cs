using MailIntake.Storage;

namespace MailIntake.Worker.Intake;

/// <summary>
/// An IMAP pass that recorded every mail it could and left <see cref="Skipped"/> on the server, each larger than the
/// DataDirectory's free space: the pass fails, so <c>status</c>, the digest and <c>run --once</c> name them, and every
/// later pass tries them again. Not an IOException: retrying the pass at once would not change the answer.
/// </summary>
public sealed class MailboxMailSkippedException(IReadOnlyList<MailboxSkip> skipped, int added)
    : Exception($"{skipped.Count} IMAP mail(s) larger than the free space left on the server: {string.Join("; ", skipped.Select(skip => $"UID {skip.Uid} ({skip.Size} bytes, {skip.FreeBytes} free)"))}")
{
    public IReadOnlyList<MailboxSkip> Skipped { get; } = skipped;

    /// <summary>New mails the same pass recorded.</summary>
    public int Added { get; } = added;
}
