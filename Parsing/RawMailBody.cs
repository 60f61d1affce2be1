using System.Security.Cryptography;

namespace MailIntake.Parsing;

/// <summary>
/// What makes two deliveries the same message: the body after the header block. Transport headers (Received,
/// Delivered-To, Return-Path, Authentication-Results…) differ from one delivery to the next; the body a sender wrote
/// does not. Line endings are left out, so a CRLF and an LF copy of one message compare equal.
/// </summary>
public static class RawMailBody
{
    /// <summary>SHA-256 (lower-case hex) of everything after the first empty line, carriage returns left out.</summary>
    public static string Sha256(Stream raw)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var inBody = false;
        var atLineStart = true;
        var chunk = new byte[buffer.Length];
        int read;
        while ((read = raw.Read(buffer, 0, buffer.Length)) > 0)
        {
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
                }
                else if (b == (byte)'\n')
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

            hash.AppendData(chunk, 0, kept);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
