using System.Text;

namespace MailIntake.Parsing;

/// <summary>Collects extracted text up to <see cref="FormLimits.MaxTextChars"/>, one paragraph a line.</summary>
internal sealed class TextBuffer
{
    private readonly StringBuilder _text = new();

    public void Append(string value)
    {
        if (_text.Length + value.Length > FormLimits.MaxTextChars)
        {
            throw new FormLimitExceededException("Extracted text is too long for a form.");
        }

        _text.Append(value);
    }

    public void Append(char value, int count = 1) => Append(new string(value, count));

    public void EndLine() => Append('\n');

    /// <summary>The text, or null when there is none (an empty document, a scanned PDF).</summary>
    public string? ToText() => string.IsNullOrWhiteSpace(_text.ToString()) ? null : _text.ToString();
}
