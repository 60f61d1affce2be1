using MimeKit;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>IMAP carries messages with CRLF line endings; files on disk often have bare LF (or CR).</summary>
public static class Crlf
{
    /// <summary>Every bare LF, bare CR and CRLF becomes CRLF; no other byte changes.</summary>
    public static byte[] Normalize(byte[] raw)
    {
        using var output = new MemoryStream(raw.Length + raw.Length / 16);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\r')
            {
                if (i + 1 < raw.Length && raw[i + 1] == '\n')
                    i++;
                output.Write("\r\n"u8);
            }
            else if (b == '\n')
            {
                output.Write("\r\n"u8);
            }
            else
            {
                output.WriteByte(b);
            }
        }
        return output.ToArray();
    }

    public static byte[] Serialize(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }
}
