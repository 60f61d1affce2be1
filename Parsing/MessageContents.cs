using MimeKit;
using MimeKit.Tnef;

namespace MailIntake.Parsing;

/// <summary>
/// Everything a message carries below its own body: attachments — including the files inside an Outlook
/// winmail.dat (TNEF) and inside forwarded or attached messages (message/rfc822) — and the text of those inner
/// messages. The walk uses its own stack (no recursion), so a hostile nesting depth cannot overflow the call stack.
/// </summary>
public sealed class MessageContents
{
    /// <summary>How many messages deep (forwarded in forwarded…, TNEF in forwarded) the walk looks.</summary>
    public const int MaxMessageDepth = 4;

    public List<MimePart> Attachments { get; } = [];

    public List<string> InnerTexts { get; } = [];

    /// <summary>The senders (lower case) of the forwarded or attached messages, in the order met.</summary>
    public List<string> InnerFromAddresses { get; } = [];

    /// <summary>The body text recovered from the first winmail.dat, for a mail that has no other body.</summary>
    public string? TnefBody { get; private set; }

    public static MessageContents Walk(MimeMessage message)
    {
        var contents = new MessageContents();
        var pending = new Stack<(MimeEntity Entity, int Depth, bool InTnef)>();
        if (message.Body is not null)
        {
            pending.Push((message.Body, 0, false));
        }

        while (pending.TryPop(out var next))
        {
            contents.Visit(next.Entity, next.Depth, next.InTnef, pending);
        }

        return contents;
    }

    private void Visit(MimeEntity entity, int depth, bool inTnef, Stack<(MimeEntity, int, bool)> pending)
    {
        switch (entity)
        {
            case Multipart multipart:
                // Pushed in reverse so the parts come out in the order of the message.
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    pending.Push((multipart[i], depth, inTnef));
                }

                break;
            case MessagePart { Message: { } inner } when depth < MaxMessageDepth:
                InnerTexts.Add(inner.Subject ?? string.Empty);
                InnerTexts.Add(MailReader.BodyText(inner));
                InnerFromAddresses.AddRange(inner.From.Mailboxes.Select(mailbox => mailbox.Address?.Trim().ToLowerInvariant()).OfType<string>().Where(address => address.Contains('@')));
                if (inner.Body is not null)
                {
                    pending.Push((inner.Body, depth + 1, false));
                }

                break;
            case TnefPart tnef:
                // The raw winmail.dat is kept as evidence too, whatever can be read out of it. Outlook items embedded
                // in it (a task, an appointment) are TNEF again: they stay whole, as Outlook's own list shows them.
                Attachments.Add(tnef);
                if (!inTnef && depth < MaxMessageDepth && Convert(tnef) is { } converted)
                {
                    TnefBody ??= MailReader.BodyText(converted);
                    if (converted.Body is not null)
                    {
                        pending.Push((converted.Body, depth + 1, true));
                    }
                }

                break;
            case TextPart text when !text.IsAttachment && string.IsNullOrEmpty(text.FileName):
                // A body, not evidence.
                break;
            case MimePart part:
                Attachments.Add(part);
                break;
        }
    }

    private static MimeMessage? Convert(TnefPart tnef)
    {
        try
        {
            return tnef.ConvertToMessage();
        }
        catch (Exception exception) when (exception is TnefException or ArgumentException or InvalidOperationException
                                               or FormatException or IndexOutOfRangeException or EndOfStreamException
                                               or InvalidCastException or NullReferenceException or NotSupportedException
                                               or IOException or OverflowException)
        {
            // A damaged winmail.dat (found by fuzzing: MimeKit's TNEF reader throws more than TnefException on one):
            // it stays as evidence as it is, raw.
            return null;
        }
    }
}
