using System.Security.Cryptography;
using MailIntake.Storage;
using MailIntake.Worker.Application;
using MailIntake.Worker.Options;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Polly;

namespace MailIntake.Worker.Outbound;

/// <summary>
/// Sends what the outbox holds and is due. Every mail was a row before it was sent, and is marked sent right after
/// the server accepts it. The window that remains: if the process dies after the server's "250 OK" and before
/// that row update commits, the mail is sent again on the next run (with the same Message-ID, so clients can
/// fold the copies). Nothing is ever lost: a mail that cannot be sent waits, with backoff, until MaxAttempts.
/// Each mail is claimed before it is sent, so concurrent runs never send the same row twice.
/// </summary>
public sealed partial class OutboxSender(
    OutboundRepository outbox,
    HealthRepository health,
    QueuedMailCheck check,
    OutboxWriter writer,
    Func<IMailTransport> transportFactory,
    ResiliencePipeline pipeline,
    MailIntakeOptions options,
    TimeProvider time,
    Jobs.JobRun run,
    ILogger<OutboxSender> logger)
{
    /// <summary>How long a claimed mail is left alone by other senders; far longer than one send with its retries.</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(10);

    /// <summary>The longest wait between attempts; longer than <see cref="ClaimLease"/>.</summary>
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(1);

    /// <summary>
    /// Past this, a next attempt (a backoff or a claim's lease) was stamped by a clock that was ahead (a bad NTP step): due
    /// now, not when the clock reaches it (h19h H2). The real clock's, not <c>--as-of</c>'s: what it bounds was stamped by it.
    /// </summary>
    private DateTimeOffset StampedAheadAfter() => run.Real.GetUtcNow() + LongestBackoff;

    /// <summary>
    /// One sender at a time in this process. The intake loop and every Quartz sweeper job call
    /// <see cref="SendDueAsync"/>; side by side (six at start) each held a mail between the server's 250 and its row
    /// update, and waited there for the database behind the others, so one crash sent several mails twice instead of
    /// at most the one the window allows. Claims still keep a separate process (<c>jobs run outbox</c>) apart.
    /// </summary>
    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task<OutboxResult> SendDueAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            return await SendDueOnceAsync(cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task<OutboxResult> SendDueOnceAsync(CancellationToken cancellationToken)
    {
        // A notice's own word (the notice, an extension, a suspension) goes before what was queued beside it: a receipt
        // rewritten after a suspension never reaches the organisation before the suspension notice it refers to.
        // A sender killed mid-send (the worker before a restart, a jobs run outbox) holds its mails no longer than it runs.
        if (outbox.ReleaseDeadClaims(run.Real.GetUtcNow()) is > 0 and var released)
        {
            LogClaimsReleased(released);
        }

        var due = outbox.ListDue(time.GetUtcNow(), StampedAheadAfter())
            .OrderBy(mail => mail.Kind is OutboundKind.Notice or OutboundKind.Extension or OutboundKind.Suspension ? 0 : 1)
            .ToList();
        if (due.Count == 0)
        {
            return new OutboxResult(0, 0, 0);
        }

        int sent = 0, failed = 0, givenUp = 0;
        await using var transport = transportFactory();
        foreach (var queued in due)
        {
            var mail = queued;
            // What is due reads --as-of; what happens to a mail is recorded by the real clock: it is sent (or fails) now,
            // and a preview's notice stamped sent on the day it looked at would skip the reminders due before that day.
            if (!outbox.TryClaim(mail, time.GetUtcNow(), run.Real.GetUtcNow() + ClaimLease, StampedAheadAfter()))
            {
                continue;
            }

            try
            {
                var message = await LoadCheckedAsync(mail, cancellationToken);
                // What it says must still be true now: written again from the notice as it stands, or withdrawn.
                switch (check.Check(mail, message))
                {
                    case QueuedMailVerdict.Withdraw withdraw:
                        outbox.Withdraw(mail, run.Real.GetUtcNow(), withdraw.Detail);
                        LogWithdrawn(mail.Id, StoredCodes.Text(mail.Kind));
                        continue;
                    case QueuedMailVerdict.Rewrite rewrite:
                        if (writer.Rewrite(mail, rewrite.Message, rewrite.NoticeState, rewrite.Detail, rewrite.Alongside) is not { } rewritten)
                        {
                            continue;
                        }

                        // Its recipients may be the registry's of now (an address dropped meanwhile): the timeline names them.
                        mail = rewritten;
                        message = rewrite.Message;
                        break;
                }

                // Dated when it leaves (the real clock): one held in the outbox for hours is not sorted before the mails
                // sent meanwhile that refer to it (h10x F12). What it says about its own delay, it says in its words.
                message.Date = run.Real.GetUtcNow();
                await pipeline.ExecuteAsync(token => new ValueTask(transport.SendAsync(message, token)), cancellationToken);
                outbox.MarkSent(mail, run.Real.GetUtcNow(), $"{Labels.Outbound(mail.Kind)}已寄出至 {string.Join("、", mail.To)}（郵件識別碼 {mail.MessageId}）");
                health.Succeeded(HealthRepository.Send, run.Real.GetUtcNow());
                sent++;
                LogSent(mail.Id, StoredCodes.Text(mail.Kind), string.Join(",", mail.To));
            }
            catch (Exception exception) when (IsSendFailure(exception))
            {
                failed++;
                givenUp += RecordFailure(mail, exception) ? 1 : 0;
                if (exception is not SmtpCommandException && !IsMessageFileLost(exception))
                {
                    // The server could not be reached or refused us, or the outbox cannot be read (a file another user
                    // left there): sending as a whole is failing, not this one mail.
                    health.Failed(HealthRepository.Send, FailureText.Line(exception), run.Real.GetUtcNow());
                }
                if (exception is AuthenticationException)
                {
                    // Every other mail would be refused the same way: stop this run, they all wait.
                    break;
                }
            }
        }

        return new OutboxResult(sent, failed, givenUp);
    }

    /// <summary>Records a failed attempt; true when the mail is given up (not to be tried again).</summary>
    private bool RecordFailure(OutboundMail mail, Exception exception)
    {
        var attempts = mail.Attempts + 1;
        var permanent = exception is SmtpCommandException { StatusCode: var code } && (int)code >= 500;
        // A message file gone from the outbox does not come back by waiting: given up at once, saying what to do.
        var lost = IsMessageFileLost(exception);
        var giveUp = permanent || lost || attempts >= options.Smtp.MaxAttempts;
        // Backoff between runs: 1, 2, 4 … minutes, at most 1 hour.
        var delay = TimeSpan.FromMinutes(Math.Min(LongestBackoff.TotalMinutes, Math.Pow(2, attempts - 1)));
        var error = exception is MessageFileAlteredException
            ? $"待寄郵件檔已損壞或遭替換（{mail.MimePath}，與寫入時之 SHA-256 或大小不符，或不是一般檔案），未寄出；請由備份還原此檔（store verify 可確認），或由承辦人另行通知收件者"
            : lost
            ? $"待寄郵件檔遺失（{mail.MimePath}），無法寄出；請由備份還原此檔（store verify 可確認），或由承辦人另行通知收件者"
            : FailureText.Line(exception);
        outbox.MarkAttemptFailed(mail, error, run.Real.GetUtcNow() + delay, giveUp, run.Real.GetUtcNow(), $"{Labels.Outbound(mail.Kind)}寄送失敗，已停止重試：{error}");
        LogFailed(mail.Id, attempts, giveUp, error);
        return giveUp;
    }

    /// <summary>
    /// The queued mail's own message file is gone or altered: only what reading that file threw, never a missing folder
    /// met on the way out (a pickup folder behind a file, h11y N6), which is the transport's failure and passes once fixed.
    /// </summary>
    private static bool IsMessageFileLost(Exception exception) => exception is MessageFileLostException or MessageFileAlteredException;

    /// <summary>
    /// The queued message as it was written: a file cut short, changed, or replaced by a link or a device is never sent
    /// (a notice cut off before its forms went out as is). A mail queued before its hash was recorded is read as found.
    /// </summary>
    private async Task<MimeMessage> LoadCheckedAsync(OutboundMail mail, CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.DataDirectory, mail.MimePath);
        // outbound/ moved to another disk and linked back: not followed, the mail stays queued (h14h G4). The file itself
        // a link is another matter: not the message written (given up below).
        StoreFolderLinkedException.ThrowIfThroughLink(options.DataDirectory, Path.GetDirectoryName(path)!);
        var bytes = new MemoryStream();
        try
        {
            await using var file = UnixFiles.OpenRegular(path);
            if (mail.Mime is { } written && file.Length != written.Size)
            {
                throw new MessageFileAlteredException(mail.MimePath);
            }

            await file.CopyToAsync(bytes, cancellationToken);
        }
        catch (NotARegularFileException)
        {
            throw new MessageFileAlteredException(mail.MimePath);
        }
        catch (IOException exception) when (exception is FileNotFoundException or DirectoryNotFoundException && DataDirectoryGoneException.IsGone(options.DataDirectory))
        {
            // Not lost: the whole DataDirectory is away (moved, unmounted). Kept queued, retried once it is back.
            throw new DataDirectoryGoneException(Path.GetFullPath(options.DataDirectory), exception);
        }
        catch (IOException exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MessageFileLostException(mail.MimePath, exception);
        }

        if (mail.Mime is { } recorded
            && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))), recorded.Sha256, StringComparison.Ordinal))
        {
            throw new MessageFileAlteredException(mail.MimePath);
        }

        bytes.Position = 0;
        return await MimeMessage.LoadAsync(bytes, cancellationToken);
    }

    /// <summary>The outbox message file (or its folder) is not there.</summary>
    private sealed class MessageFileLostException(string path, Exception inner) : IOException($"{path} is missing", inner);

    /// <summary>The outbox message file no longer holds what was written (or is not a regular file).</summary>
    private sealed class MessageFileAlteredException(string path) : IOException($"{path} differs from the message written");

    private static bool IsSendFailure(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TimeoutException or SmtpCommandException
            or SmtpProtocolException or AuthenticationException or SslHandshakeException or MailKit.ServiceNotConnectedException
            or FormatException;

    [LoggerMessage(LogLevel.Information, "Outbound #{Id} ({Kind}) sent to {To}")]
    private partial void LogSent(long id, string kind, string to);

    [LoggerMessage(LogLevel.Information, "Outbound #{Id} ({Kind}) withdrawn before sending: its notice changed meanwhile")]
    private partial void LogWithdrawn(long id, string kind);

    [LoggerMessage(LogLevel.Information, "{Count} queued mail(s) claimed by a sender that no longer runs are due again now")]
    private partial void LogClaimsReleased(int count);

    [LoggerMessage(LogLevel.Warning, "Outbound #{Id} attempt {Attempt} failed (given up: {GivenUp}): {Error}")]
    private partial void LogFailed(long id, int attempt, bool givenUp, string error);
}

/// <summary>What one run of the outbox did: <paramref name="Failed"/> counts every failed mail, <paramref name="GivenUp"/> those not to be tried again.</summary>
public sealed record OutboxResult(int Sent, int Failed, int GivenUp)
{
    /// <summary>The failures in zh-TW (empty when none): those retried later and those given up, told apart.</summary>
    public string FailuresText =>
        (Failed - GivenUp > 0 ? $"，{Failed - GivenUp} 封寄送失敗（稍後重試）" : "")
        + (GivenUp > 0 ? $"，{GivenUp} 封寄送失敗且已停止重試（見 status）" : "");
}
