using System.Globalization;
using System.Text;

namespace MailIntake.Worker.Application;

/// <summary>
/// Text read from a mail (a filler line, an answer, a file name) as a document, a terminal or a mail may print it: no
/// control character (an ESC sequence recolours a terminal), no bidirectional override (the printed line would read
/// reversed), nothing XML cannot hold (U+FFFE, U+FFFF, a lone surrogate: a .docx or .odt cannot be written at all).
/// Line breaks and tabs inside become a space (Word's Shift+Enter pasted into Outlook is a vertical tab); anything else
/// becomes U+FFFD, so a reader sees that something was there.
/// </summary>
public static class PrintableText
{
    public static string Clean(string text)
    {
        if (!text.Any(character => IsUnprintable(character) || char.IsSurrogate(character)))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes gives a lone surrogate as U+FFFD already.
            clean.Append(rune.IsBmp && IsUnprintable((char)rune.Value)
                ? IsBreak((char)rune.Value) ? ' ' : '\uFFFD'
                : rune.ToString());
        }

        return clean.ToString();
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>
    /// Text for a document (.docx, .odt, HTML) whose own line breaks and tabs are layout: those stay; every other control
    /// character, bidirectional override and what XML cannot hold becomes U+FFFD, so the document can always be written
    /// and reads as stored (text filed before it was cleaned on the way in, a file name as the sender wrote it).
    /// </summary>
    public static string ForDocument(string text)
    {
        if (!text.Any(character => (IsUnprintable(character) && character is not ('\t' or '\n' or '\r')) || char.IsSurrogate(character)))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            clean.Append(rune.IsBmp && IsUnprintable((char)rune.Value) && rune.Value is not ('\t' or '\n' or '\r') ? "\uFFFD" : rune.ToString());
        }

        return clean.ToString();
    }

    /// <summary>A character a one-line field never prints as is (surrogates are judged in pairs by <see cref="Clean"/>).</summary>
    public static bool IsUnprintable(char character) =>
        char.IsControl(character)
        || char.GetUnicodeCategory(character) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || character is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\uFFFE' or '\uFFFF';

    private static bool IsBreak(char character) =>
        character is '\t' or '\n' or '\v' or '\f' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>True when <paramref name="text"/> holds a surrogate that is not half of a pair (XML cannot hold it).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var index = 0; index < text.Length; index++)
        {
            if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                index++;
            }
            else if (char.IsSurrogate(text[index]))
            {
                return true;
            }
        }

        return false;
    }
}
