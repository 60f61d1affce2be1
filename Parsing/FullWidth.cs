namespace MailIntake.Parsing;

/// <summary>
/// Folds full-width ASCII forms to ASCII. Chinese input methods produce full-width digits,
/// colons, slashes and @ signs, and every reader in this project wants to match plain ASCII.
/// </summary>
public static class FullWidth
{
    private const char FirstFullWidth = '\uFF01';
    private const char LastFullWidth = '\uFF5E';
    private const char IdeographicSpace = '\u3000';
    private const int Offset = FirstFullWidth - '!';

    public static string ToHalfWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        int first = IndexOfFullWidth(text);
        if (first < 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (int i = state.first; i < span.Length; i++)
            {
                span[i] = Fold(span[i]);
            }
        });
    }

    private static int IndexOfFullWidth(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsFullWidth(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsFullWidth(char c) =>
        c == IdeographicSpace || c is >= FirstFullWidth and <= LastFullWidth;

    private static char Fold(char c) => c switch
    {
        IdeographicSpace => ' ',
        >= FirstFullWidth and <= LastFullWidth => (char)(c - Offset),
        _ => c,
    };
}
