using System.Diagnostics;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// What the program mailed, as it landed in a stack user's INBOX. Tests address mail to plus-addresses with a tag of
/// their own (<c>org1+1a2b3c4d@intake.test</c>), all delivered to the one INBOX of <c>org1</c>, so each test finds
/// its mail by the exact To address and never sees another test's. Postfix hands mail to Dovecot (LMTP)
/// asynchronously after it accepted it, so arrivals are polled for.
/// </summary>
public sealed class DeliveredMail(ITestOutputHelper output)
{
    /// <summary>How long Postfix → LMTP → Dovecot may take before a mail counts as not delivered.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private string _lastProtocolLog = string.Empty;

    /// <summary>The messages in the INBOX of the stack user owning <paramref name="address"/> whose To names it exactly.</summary>
    public async Task<IReadOnlyList<MimeMessage>> ToAsync(string address, CancellationToken ct = default)
    {
        var user = MailboxOwner(address);
        var log = new MemoryStream();
        try
        {
            using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true));
            client.ServerCertificateValidationCallback = MailStack.ValidateServerCertificate;
            var stack = MailStack.Settings;
            await client.ConnectAsync(stack.Host, stack.ImapPort, SecureSocketOptions.StartTls, ct);
            await client.AuthenticateAsync(user, stack.PasswordOf(user), ct);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
            // Dovecot's header search is a substring match: narrow on the server, then compare exactly.
            var uids = await client.Inbox.SearchAsync(SearchQuery.HeaderContains("To", address), ct);
            var found = new List<MimeMessage>();
            foreach (var uid in uids)
            {
                var message = await client.Inbox.GetMessageAsync(uid, ct);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
                    found.Add(message);
            }
            await client.DisconnectAsync(quit: true, ct);
            return found;
        }
        finally
        {
            _lastProtocolLog = Encoding.UTF8.GetString(log.ToArray());
        }
    }

    /// <summary>
    /// Polls until at least <paramref name="count"/> messages To <paramref name="address"/> have arrived and returns
    /// all of them; fails after <see cref="DeliveryTimeout"/> with what did arrive and the last IMAP conversation.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = await ToAsync(address);
            if (found.Count >= count)
            {
                output.WriteLine($"{found.Count} message(s) to {address} after {clock.Elapsed.TotalSeconds:0.0} s: {Subjects(found)}");
                return found;
            }
            if (clock.Elapsed > DeliveryTimeout)
            {
                throw new XunitException(
                    $"{what}: expected {count} message(s) to {address} within {DeliveryTimeout.TotalSeconds:0} s, found {found.Count}: {Subjects(found)}\n" +
                    $"--- last IMAP conversation (harness) ---\n{Tail(_lastProtocolLog)}");
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Waits until what Postfix accepted before now has been delivered to <paramref name="address"/>'s INBOX, so that
    /// "nothing (more) arrived" can be asserted without a blind sleep: mails a marker through the same Postfix to a
    /// sibling plus-address of the same user and waits for it. Postfix delivers in queue order, so this is a strong
    /// hint, not a proof; a short grace period covers parallel LMTP deliveries.
    /// </summary>
    public async Task SettleAsync(string address)
    {
        var marker = MailboxOwner(address).Replace("@", $"+settle-{Guid.NewGuid():N}@", StringComparison.Ordinal);

        var stack = MailStack.Settings;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(stack.CenterUser));
        message.To.Add(MailboxAddress.Parse(marker));
        message.Subject = "e2e delivery marker";
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(stack.Domain);
        message.Body = new TextPart("plain") { Text = "marker" };
        using (var smtp = new SmtpClient())
        {
            smtp.ServerCertificateValidationCallback = MailStack.ValidateServerCertificate;
            await smtp.ConnectAsync(stack.Host, stack.SmtpPort, SecureSocketOptions.StartTls);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(quit: true);
        }

        await WaitForAsync(marker, 1, "delivery marker (Postfix queue drained?)");
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    public static string Subjects(IEnumerable<MimeMessage> messages) =>
        "[" + string.Join(" | ", messages.Select(m => $"{m.Subject} <{m.MessageId}>")) + "]";

    private static string MailboxOwner(string address)
    {
        var at = address.IndexOf('@');
        var local = address[..at];
        var plus = local.IndexOf('+');
        return (plus < 0 ? local : local[..plus]) + address[at..];
    }

    private static string Tail(string text, int max = 6_000) => text.Length <= max ? text : "…" + text[^max..];
}
