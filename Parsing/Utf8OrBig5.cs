using System.Text;

namespace MailIntake.Parsing;

public enum TextEncoding
{
    Utf8,
    Big5,
}

/// <summary>
/// A file decoded whole as one encoding, or the first line that stops it. <paramref name="Text"/> is null when the
/// bytes are neither valid UTF-8 nor valid Big5 (or claim UTF-8 with a byte order mark and are not); then
/// <paramref name="Encoding"/> is the one the file holds longest (the lines before <paramref name="InvalidLine"/> are
/// in it) and <paramref name="InvalidLine"/> the first line that is not.
/// </summary>
public sealed record DecodedText(string? Text, TextEncoding Encoding, int? InvalidLine, bool ByteOrderMark = false);

/// <summary>
/// Staff files (the registry, items, the holiday calendar) come from Excel as UTF-8 or as Big5: the file is UTF-8
/// when all of it is valid UTF-8, otherwise Big5 when all of it is valid Big5 (code page 950), never a mix.
/// </summary>
public static class Utf8OrBig5
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Lazy<Encoding> StrictBig5 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(950, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    public static DecodedText Decode(ReadOnlySpan<byte> content)
    {
        var hasBom = content.StartsWith(Utf8Bom);
        var body = hasBom ? content[Utf8Bom.Length..] : content;
        if (FirstInvalidLine(body, StrictUtf8) is not { } utf8Line)
        {
            return new DecodedText(StrictUtf8.GetString(body), TextEncoding.Utf8, null, hasBom);
        }

        // A byte order mark says UTF-8: a file that says so and is not is damaged, not Big5.
        if (hasBom)
        {
            return new DecodedText(null, TextEncoding.Utf8, utf8Line, ByteOrderMark: true);
        }

        // Neither: a file pasted together from two exports. The line to name is where the encoding its first lines are
        // in stops — the later of the two first failures (UTF-8 Chinese is seldom valid Big5, so Big5 fails earlier).
        return FirstInvalidLine(body, StrictBig5.Value) is { } big5Line
            ? big5Line > utf8Line ? new DecodedText(null, TextEncoding.Big5, big5Line) : new DecodedText(null, TextEncoding.Utf8, utf8Line)
            : new DecodedText(StrictBig5.Value.GetString(body), TextEncoding.Big5, null);
    }

    /// <summary>
    /// Line by line, so the error names a line: LF never occurs inside a UTF-8 sequence or as a Big5 trail byte
    /// (those are 0x40 and above), so splitting the bytes at LF cuts no character in two.
    /// </summary>
    private static int? FirstInvalidLine(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        var line = 1;
        while (true)
        {
            var end = bytes.IndexOf((byte)'\n');
            var current = end < 0 ? bytes : bytes[..end];
            try
            {
                _ = encoding.GetCharCount(current);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }

            if (end < 0)
            {
                return null;
            }

            bytes = bytes[(end + 1)..];
            line++;
        }
    }
}
