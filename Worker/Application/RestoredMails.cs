using System.Collections.Concurrent;
using MailIntake.Storage;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Application;

/// <summary>
/// Damaged mails whose raw file holds its recorded bytes again (put back from a backup) come back: a filed reply is a
/// reply again (filing it twice would double its timeline), any other mail is processed now. Every intake pass and
/// every <c>store repair</c> looks, so a file restored by hand needs no further step. Only a file of the recorded size,
/// reached without a link, is hashed, and a file already found not to hold its bytes is hashed again only once its size
/// or time of change differs: a mail whose raw file stays lost or damaged costs a stat per pass.
/// </summary>
public sealed class RestoredMails(MailRepository mails, IntakeProcessor intake, string dataDirectory)
{
    private readonly ConcurrentDictionary<long, (long Length, DateTime ChangedUtc)> stillDamaged = new();

    public async Task<int> ReviveAsync(CancellationToken cancellationToken)
    {
        var revived = 0;
        foreach (var mail in mails.List(MailKind.Damaged))
        {
            if (!await HoldsAsync(mail.MailId, mail.Raw, cancellationToken))
            {
                continue;
            }

            stillDamaged.TryRemove(mail.MailId, out _);

            if (mails.Revive(mail.MailId))
            {
                await intake.ProcessAsync(mail.MailId, mail.Raw, cancellationToken);
            }

            revived++;
        }

        return revived;
    }

    private async Task<bool> HoldsAsync(long mailId, StoredFile raw, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, raw.RelativePath);
        if (new FileInfo(path) is not { Exists: true } file || file.Length != raw.Size || OwnFiles.PassesThroughLink(dataDirectory, raw.RelativePath))
        {
            return false;
        }

        var seen = (file.Length, file.LastWriteTimeUtc);
        if (stillDamaged.TryGetValue(mailId, out var checkedBefore) && checkedBefore == seen)
        {
            return false;
        }

        try
        {
            if (await ContentStore.HoldsAsync(path, raw.Sha256, raw.Size, cancellationToken))
            {
                return true;
            }

            stillDamaged[mailId] = seen;
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Still unreadable: it stays damaged, and verify names the file.
            return false;
        }
    }
}
