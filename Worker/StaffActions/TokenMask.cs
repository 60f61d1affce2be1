using System.Text.RegularExpressions;
using MailIntake.Parsing;
using MailIntake.Parsing.StaffActions;

namespace MailIntake.Worker.StaffActions;

/// <summary>
/// Text from a received mail (its subject) shown in a mail we send, without any action token in it: a reply to that
/// mail must not carry a usable link the member never clicked.
/// </summary>
public static partial class TokenMask
{
    public static string Without(string text)
    {
        var folded = FullWidth.ToHalfWidth(text).ToLowerInvariant();
        foreach (var token in ActionToken.FindAll(text).Distinct())
        {
            for (var at = folded.IndexOf(token, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(token, StringComparison.Ordinal))
            {
                text = text.Remove(at, token.Length);
                folded = folded.Remove(at, token.Length);
            }
        }

        return Spaces().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}
