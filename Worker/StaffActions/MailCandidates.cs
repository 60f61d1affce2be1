using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;
using MailIntake.Storage;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// The open notices a mail to settle may belong to, for its 歸入 links: the matcher's candidates of an ambiguous mail,
/// the notice a suspicious mail names; none for a mail nothing points at, one carrying an action token, or a re-read one
/// cut short on disk (it can still be dismissed).
/// </summary>
public sealed class MailCandidates(Database database, MatchContextRepository matchContexts, Options.MailIntakeOptions options)
{
    /// <summary>At most this many 歸入 links per mail.</summary>
    public const int MaxLinks = 5;

    public IReadOnlyList<Notice> For(MailSummary mail)
    {
        var path = Path.Combine(options.DataDirectory, mail.RawPath);
        if (!File.Exists(path))
        {
            return [];
        }

        ParsedMail parsed;
        try
        {
            using var raw = UnixFiles.OpenRegular(path);
            var message = MailParserOptions.Load(raw);
            if (ActionMailReader.Read(message).HasToken)
            {
                // A staff command (refused or not) is never an organisation's reply: it can only be dismissed.
                return [];
            }

            using (var read = database.BeginRead())
            {
                if (Application.CutShortDrop.Is(MailRepository.SourceOf(read, mail.MailId), message, raw))
                {
                    // Cut short on disk since it was read whole: never filed, so no 歸入 link (AssignMail refuses it).
                    return [];
                }
            }

            parsed = MailReader.Read(message);
        }
        catch (FormatException)
        {
            // Not MIME: nothing to match it by; staff can still dismiss it.
            return [];
        }

        var match = ReplyMatcher.Match(parsed, matchContexts.Load(parsed.ThreadIds));
        using var session = database.BeginRead();
        return match.Candidates
            .Select(reference => NoticeRepository.Get(session, reference))
            .OfType<Notice>()
            .Where(notice => notice.Status.IsOpen())
            .Take(MaxLinks)
            .ToList();
    }
}
