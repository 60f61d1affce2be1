using MimeKit;

namespace MailIntake.Parsing.Tests.Fuzz;

/// <summary>
/// Everything the intake does with a received mail before Storage, in the intake's order: the Message-ID from the
/// header block, the whole message, what it says, whether a machine sent it, what a bounce names, what the trusted
/// server said of the sender, which notice it answers, and each attachment decoded as evidence.
/// The only exception allowed out is <see cref="FormatException"/> from the two loads (the intake records such a
/// mail as unmatched with the reason); anything else leaves a mail unprocessed, pass after pass.
/// </summary>
internal static class ParsingPipeline
{
    public static readonly string[] TrustedServIds = ["mail.intake.test"];

    /// <summary>Two organisations with open notices, a closed one, registered addresses and a Message-ID we sent.</summary>
    public static readonly MatchContext Context = new(
        [
            new NoticeCandidate("TN-115-0001", "XC12345678", IsOpen: true),
            new NoticeCandidate("TN-115-0002", "XC87654321", IsOpen: true),
            new NoticeCandidate("TN-115-0003", "XC87654321", IsOpen: true),
            new NoticeCandidate("TN-114-0099", "XC11111111", IsOpen: false),
        ],
        new HashSet<string>(StringComparer.Ordinal) { "XC12345678", "XC87654321", "XC11111111" },
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["org1@intake.test"] = ["XC12345678"],
            ["lee@org1.example.tw"] = ["XC12345678"],
            ["org2@intake.test"] = ["XC87654321"],
        },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["notice-1@intake.test"] = "TN-115-0001" });

    /// <summary>Runs every step; returns false when the mail is unreadable (FormatException from a load), true when read.</summary>
    public static bool Run(byte[] input)
    {
        try
        {
            using var headers = new MemoryStream(input, writable: false);
            MailReader.ReadMessageId(headers);
        }
        catch (FormatException)
        {
            // The intake then records the mail by its SHA-256 alone.
        }

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(input, writable: false);
            message = MailParserOptions.Load(stream);
        }
        catch (FormatException)
        {
            return false;
        }

        using (message)
        {
            var parsed = MailReader.Read(message);
            AutomaticMailDetector.Detect(message);
            BounceReader.Read(message);
            SenderAuthentication.Check(message, TrustedServIds);
            ReplyMatcher.Match(parsed, Context);
            foreach (var attachment in parsed.Attachments)
            {
                attachment.Part.Content?.DecodeTo(Stream.Null);
            }
        }

        return true;
    }
}
