using MimeKit;

namespace MailIntake.Parsing;

/// <summary>
/// Whether a message visibly stops before its MIME structure ends: a multipart whose closing boundary never came, a
/// base64 part whose content stops in the middle of a four-character group or holds NUL bytes, or a file whose tail is
/// NUL bytes. A file cut short on disk (a failing disk, a copy interrupted, blocks zero-filled after a crash with the
/// size kept) looks like that; a message as sent does not (NUL is no base64, nor 7bit or 8bit text: RFC 2045 2.7, 2.8).
/// </summary>
public static class MimeCompleteness
{
    /// <summary>
    /// True when <paramref name="message"/>, parsed from <paramref name="raw"/>, stops before its MIME ends: a multipart's
    /// closing boundary line (<c>--BOUNDARY--</c>) is not in the raw bytes, a base64 part stops mid-group or holds a NUL,
    /// or the raw bytes end in a NUL (unless the body is one binary part, which may end so as sent).
    /// </summary>
    public static bool IsUnfinished(MimeMessage message, Stream raw)
    {
        if (message.Body is not { } body)
        {
            return EndsInNul(raw);
        }

        if (body is not MimePart { ContentTransferEncoding: ContentEncoding.Binary } && EndsInNul(raw))
        {
            return true;
        }

        var entities = Entities(body).ToList();
        var boundaries = entities.OfType<Multipart>().Select(multipart => multipart.Boundary).Where(boundary => !string.IsNullOrEmpty(boundary))
            .Select(boundary => $"--{boundary}--").ToHashSet(StringComparer.Ordinal);
        return (boundaries.Count > 0 && !AllLinesFound(raw, boundaries))
            || entities.OfType<MimePart>().Any(part => part.ContentTransferEncoding == ContentEncoding.Base64 && part.Content is { } content && Base64Unfinished(content));
    }

    private static IEnumerable<MimeEntity> Entities(MimeEntity entity)
    {
        yield return entity;
        var children = entity switch
        {
            Multipart multipart => multipart,
            MessagePart { Message.Body: { } inner } => [inner],
            _ => Enumerable.Empty<MimeEntity>(),
        };
        foreach (var child in children.SelectMany(Entities))
        {
            yield return child;
        }
    }

    /// <summary>True when every one of <paramref name="wanted"/> is a line of <paramref name="raw"/> (trailing blanks aside).</summary>
    private static bool AllLinesFound(Stream raw, HashSet<string> wanted)
    {
        raw.Position = 0;
        // Latin-1 maps every byte to one char: a boundary (ASCII) reads the same whatever the message's charsets.
        using var reader = new StreamReader(raw, System.Text.Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (wanted.Count > 0 && reader.ReadLine() is { } line)
        {
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                wanted.Remove(line.TrimEnd(' ', '\t'));
            }
        }

        return wanted.Count == 0;
    }

    /// <summary>
    /// True when the raw bytes end in a NUL: the tail a disk zero-filled (size kept). Only the end is looked at: a
    /// sender's stray NUL inside a text is not a file cut short.
    /// </summary>
    public static bool EndsInNul(Stream raw)
    {
        if (raw.Length == 0)
        {
            return false;
        }

        raw.Position = raw.Length - 1;
        return raw.ReadByte() == 0;
    }

    /// <summary>
    /// True when the encoded content holds a number of base64 characters (padding included) not divisible by 4, or a NUL
    /// byte (no base64, no line break: blocks zero-filled on disk).
    /// </summary>
    private static bool Base64Unfinished(IMimeContent content)
    {
        if (content.Stream is not { } stream)
        {
            return false;
        }

        var start = stream.CanSeek ? stream.Position : 0;
        long count = 0;
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    if (b == 0)
                    {
                        return true;
                    }

                    if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                        or (byte)'+' or (byte)'/' or (byte)'=')
                    {
                        count++;
                    }
                }
            }
        }
        finally
        {
            if (stream.CanSeek)
            {
                stream.Position = start;
            }
        }

        return count % 4 != 0;
    }
}
