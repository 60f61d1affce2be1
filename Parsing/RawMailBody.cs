using System.Security.Cryptography;
using System.Text;

namespace MailIntake.Parsing;

/// <summary>The two hashes of a raw mail that tell whether two deliveries are one message.</summary>
/// <param name="Body">SHA-256 of the body after the header block (the rule for mails recorded before 0013).</param>
/// <param name="Message">SHA-256 of what the sender wrote: the author headers (From, Sender, Reply-To, To, Cc, Subject,
/// Date) and the body.</param>
public sealed record RawMailHashes(string Body, string Message);

/// <summary>
/// What makes two deliveries the same message: what the sender wrote — its author headers (From, Sender, Reply-To, To,
/// Cc, Subject, Date) and the body after the header block. Transport headers (Received, Delivered-To, Return-Path,
/// Authentication-Results, X-* a server adds…) differ from one delivery to the next and are left out; so are line
/// endings (a CRLF and an LF copy compare equal) and the folding of a header a relay may redo. Another sender or
/// subject with the same Message-ID and body is another message.
/// </summary>
public static class RawMailBody
{
    /// <summary>The headers a sender writes and no relay changes.</summary>
    private static readonly string[] AuthorHeaders = ["from", "sender", "reply-to", "to", "cc", "subject", "date"];

    /// <summary>Header bytes looked at, at most: a header block longer than this is compared by its first part only.</summary>
    private const int MaxHeaderBytes = 256 * 1024;

    /// <summary>SHA-256 (lower-case hex) of everything after the first empty line, carriage returns left out.</summary>
    public static string Sha256(Stream raw) => Hashes(raw).Body;

    /// <summary>Both hashes in one read of <paramref name="raw"/>.</summary>
    public static RawMailHashes Hashes(Stream raw)
    {
        using var body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new MemoryStream();
        var buffer = new byte[81920];
        var inBody = false;
        var atLineStart = true;
        var chunk = new byte[buffer.Length];
        int read;
        while ((read = raw.Read(buffer, 0, buffer.Length)) > 0)
        {
            whole.AppendData(buffer, 0, read);
            var kept = 0;
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\r')
                {
                    continue;
                }

                if (inBody)
                {
                    chunk[kept++] = b;
                    continue;
                }

                if (header.Length < MaxHeaderBytes)
                {
                    header.WriteByte(b);
                }

                if (b == (byte)'\n')
                {
                    // An empty line (a line feed at the start of a line) ends the header block.
                    inBody = atLineStart;
                    atLineStart = true;
                }
                else
                {
                    atLineStart = false;
                }
            }

            body.AppendData(chunk, 0, kept);
        }

        var bodyHash = body.GetHashAndReset();
        var message = new MemoryStream();
        var authorLines = AuthorLines(header.ToArray()).ToList();
        if (authorLines.Count == 0)
        {
            // No header a sender writes (random bytes, a mail saved as UTF-16, an empty file): nothing tells two such
            // files apart but their bytes, which are then the message — not an empty header block and body that every
            // such file shares (h30h P14: each unreadable file after the first was taken for a copy of it and dropped) —
            // every byte, line endings too (h31h Q7).
            message.Write("raw\n"u8);
            message.Write(whole.GetHashAndReset());
        }
        else
        {
            foreach (var line in authorLines)
            {
                message.Write(line);
                message.WriteByte((byte)'\n');
            }

            message.WriteByte((byte)'\n');
            message.Write(bodyHash);
        }

        return new RawMailHashes(Convert.ToHexStringLower(bodyHash), Convert.ToHexStringLower(SHA256.HashData(message.ToArray())));
    }

    /// <summary>
    /// The author headers in the order they appear, each as <c>name:value</c>: the name in lower case, the value
    /// unfolded with every run of spaces and tabs made one space, trimmed. Values stay bytes (8-bit headers happen).
    /// </summary>
    private static IEnumerable<byte[]> AuthorLines(byte[] header)
    {
        var fields = new List<List<byte>>();
        foreach (var line in Split(header))
        {
            if (line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t') && fields.Count > 0)
            {
                fields[^1].Add((byte)' ');
                fields[^1].AddRange(line);
            }
            else if (line.Length > 0)
            {
                fields.Add([.. line]);
            }
        }

        foreach (var field in fields)
        {
            var colon = field.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = Encoding.ASCII.GetString([.. field.Take(colon)]).Trim().ToLowerInvariant();
            if (!AuthorHeaders.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var value = new List<byte>(field.Count);
            foreach (var b in field.Skip(colon + 1))
            {
                var space = b is (byte)' ' or (byte)'\t';
                if (space && (value.Count == 0 || value[^1] == (byte)' '))
                {
                    continue;
                }

                value.Add(space ? (byte)' ' : b);
            }

            if (value.Count > 0 && value[^1] == (byte)' ')
            {
                value.RemoveAt(value.Count - 1);
            }

            yield return [.. Encoding.ASCII.GetBytes(name + ":"), .. value];
        }
    }

    private static IEnumerable<byte[]> Split(byte[] header)
    {
        var start = 0;
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] == (byte)'\n')
            {
                yield return header[start..i];
                start = i + 1;
            }
        }

        if (start < header.Length)
        {
            yield return header[start..];
        }
    }
}
