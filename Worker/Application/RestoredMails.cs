using MailIntake.Storage;
using MailIntake.Worker.Intake;

namespace MailIntake.Worker.Application;

/// <summary>
/// Damaged mails whose raw file holds its recorded bytes again (put back from a backup) come back: a filed reply is a
/// reply again (filing it twice would double its timeline), any other mail is processed now. Every intake pass and
/// every <c>store repair</c> looks, so a file restored by hand needs no further step. Only a file of the recorded size,
/// reached without a link, is hashed: a mail whose raw file stays lost costs a stat per pass.
/// </summary>
public sealed class RestoredMails(MailRepository mails, IntakeProcessor intake, string dataDirectory)
{
    public async Task<int> ReviveAsync(CancellationToken cancellationToken)
    {
        var revived = 0;
        foreach (var mail in mails.List(MailKind.Damaged))
        {
            if (!await HoldsAsync(mail.Raw, cancellationToken))
            {
                continue;
            }

            if (mails.Revive(mail.MailId))
            {
                await intake.ProcessAsync(mail.MailId, mail.Raw, cancellationToken);
            }

            revived++;
        }

        return revived;
    }

    private async Task<bool> HoldsAsync(StoredFile raw, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, raw.RelativePath);
        if (new FileInfo(path) is not { Exists: true } file || file.Length != raw.Size || OwnFiles.PassesThroughLink(dataDirectory, raw.RelativePath))
        {
            return false;
        }

        try
        {
            return await ContentStore.HoldsAsync(path, raw.Sha256, raw.Size, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Still unreadable: it stays damaged, and verify names the file.
            return false;
        }
    }
}
