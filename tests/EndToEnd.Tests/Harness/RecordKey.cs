using System.Security.Cryptography;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// What makes two deliveries one mail, as the program decides it: the same raw bytes, or the same Message-ID with the
/// same body (the lines after the header block). A different body under a reused Message-ID is another mail.
/// </summary>
public static class RecordKey
{
    /// <summary>The key of a CRLF message: its Message-ID and body hash, or its raw SHA-256 when it has no Message-ID.</summary>
    public static string Of(byte[] raw, string? messageId) =>
        messageId is null
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw))
            : "id:" + messageId + " body:" + Convert.ToHexStringLower(SHA256.HashData(Body(raw)));

    private static byte[] Body(byte[] raw)
    {
        var span = raw.AsSpan();
        if (span.StartsWith("\r\n"u8))
            return span[2..].ToArray();
        var end = span.IndexOf("\r\n\r\n"u8);
        return end < 0 ? [] : span[(end + 4)..].ToArray();
    }
}
