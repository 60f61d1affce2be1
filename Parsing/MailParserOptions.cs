using System.Text;
using MimeKit;

namespace MailIntake.Parsing;

/// <summary>
/// MimeKit parser settings for mail from Taiwan: a header with raw 8-bit bytes and no declared
/// charset is far more likely Big5 (code page 950) than Latin-1, MimeKit's default fallback.
/// </summary>
public static class MailParserOptions
{
    private const int Big5CodePage = 950;

    // A preamble longer than this is not a stray banner but a body, and MimeKit should say so.
    private const int MaxPreambleLines = 3;
    private const int MaxPreambleLineLength = 200;

    private static readonly ParserOptions Template = CreateTemplate();

    /// <summary>A fresh copy each time, so a caller that changes it cannot change everyone's parsing.</summary>
    public static ParserOptions Default => Template.Clone();

    /// <summary>
    /// Loads a message with <see cref="Default"/>. Some saved or re-exported messages start with a
    /// banner line before the headers ("---- Original email message ----", as Kerio writes it);
    /// up to three such lines are skipped instead of failing the whole message.
    /// </summary>
    public static MimeMessage Load(Stream stream) => Load(stream, persistent: false);

    /// <summary>
    /// The same; <paramref name="persistent"/> leaves each part's content in <paramref name="stream"/> (read when it is
    /// decoded, so the caller keeps the stream open as long as it reads the message) instead of copying it into memory.
    /// </summary>
    public static MimeMessage Load(Stream stream, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(stream);

        Stream seekable = stream.CanSeek ? stream : CopyToMemory(stream);
        SkipPreamble(seekable);
        return MimeMessage.Load(Template, seekable, persistent && seekable == stream);
    }

    /// <summary>
    /// Only the header block of a raw message (to record it by Message-ID before parsing the whole of it),
    /// past the same stray banner lines as <see cref="Load"/> and an mbox "From " separator line.
    /// </summary>
    public static HeaderList LoadHeaders(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);

        Stream seekable = stream.CanSeek ? stream : CopyToMemory(stream);
        SkipPreamble(seekable);
        long lineStart = seekable.Position;
        if (ReadAsciiLine(seekable) is not { } first || !first.StartsWith("From ", StringComparison.Ordinal))
        {
            seekable.Position = lineStart;
        }

        return HeaderList.Load(Template, seekable);
    }

    private static ParserOptions CreateTemplate()
    {
        // Big5 is not among .NET's built-in encodings; registering twice is harmless but once is enough.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        ParserOptions options = ParserOptions.Default.Clone();
        options.CharsetEncoding = Encoding.GetEncoding(Big5CodePage);
        return options;
    }

    private static MemoryStream CopyToMemory(Stream stream)
    {
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }

    private static void SkipPreamble(Stream stream)
    {
        long start = stream.Position;
        for (int line = 0; line <= MaxPreambleLines; line++)
        {
            long lineStart = stream.Position;
            string? text = ReadAsciiLine(stream);
            if (text is null || text.Length == 0 || LooksLikeHeaderStart(text))
            {
                stream.Position = lineStart;
                return;
            }
        }

        stream.Position = start;
    }

    // A header field name is printable ASCII without a colon or space (RFC 5322 section 2.2);
    // "From " is the mbox separator, which MimeKit already understands.
    private static bool LooksLikeHeaderStart(string line)
    {
        if (line.StartsWith("From ", StringComparison.Ordinal))
        {
            return true;
        }

        int colon = line.IndexOf(':');
        return colon > 0 && line.AsSpan(0, colon).TrimEnd(' ').IndexOfAnyExceptInRange('!', '~') < 0;
    }

    private static string? ReadAsciiLine(Stream stream)
    {
        var line = new StringBuilder();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n' && line.Length <= MaxPreambleLineLength)
        {
            if (b != '\r')
            {
                line.Append((char)b);
            }
        }

        return b < 0 && line.Length == 0 ? null : line.ToString();
    }
}
