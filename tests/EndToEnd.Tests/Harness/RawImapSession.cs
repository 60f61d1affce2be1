using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The few IMAP commands needed to APPEND a message byte for byte. MailKit appends a MimeMessage, which
/// MimeKit re-serialises (and some real corpus files do not even parse); the program under test must see
/// the real bytes, so the harness speaks STARTTLS, LOGIN and APPEND itself.
/// </summary>
internal sealed partial class RawImapSession : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Action<string> _log;
    private Stream _stream;
    private int _tag;

    private RawImapSession(TcpClient tcp, Action<string> log)
    {
        _tcp = tcp;
        _log = log;
        _stream = tcp.GetStream();
    }

    public static async Task<RawImapSession> OpenAsync(
        MailStackSettings stack, string user, string password, Action<string> log, CancellationToken ct)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(stack.Host, stack.ImapPort, ct);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new MailStackNotRunningException($"IMAP {stack.Host}:{stack.ImapPort} refused: {e.Message}");
        }

        var session = new RawImapSession(tcp, log);
        var greeting = await session.ReadLineAsync(ct);
        if (!greeting.StartsWith("* OK", StringComparison.Ordinal))
            throw new IOException($"unexpected IMAP greeting: {greeting}");

        await session.CommandAsync("STARTTLS", ct);
        var tls = new SslStream(session._stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = stack.Host,
            RemoteCertificateValidationCallback = stack.CertificateValidator,
        }, ct);
        session._stream = tls;

        await session.CommandAsync($"LOGIN {Quote(user)} {Quote(password)}", ct, logAs: $"LOGIN {Quote(user)} ****");
        return session;
    }

    /// <summary>APPENDs <paramref name="message"/> (already CRLF) to <paramref name="folder"/>; returns the UID the server gave it.</summary>
    public async Task<uint> AppendAsync(string folder, byte[] message, CancellationToken ct, DateTimeOffset? internalDate = null)
    {
        var tag = NextTag();
        var date = internalDate is { } at ? $" \"{at.ToUniversalTime().ToString("dd-MMM-yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} +0000\"" : "";
        var command = $"{tag} APPEND {Quote(folder)}{date} {{{message.Length}}}";
        _log($"C: {command}");
        await WriteAsync(command + "\r\n", ct);

        while (true)
        {
            var line = await ReadLineAsync(ct);
            _log($"S: {line}");
            if (line.StartsWith('+'))
                break;
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                throw new IOException($"APPEND to {folder} refused before the literal: {line}");
        }

        await _stream.WriteAsync(message, ct);
        await WriteAsync("\r\n", ct);
        _log($"C: <{message.Length} bytes>");

        var done = await ReadTaggedAsync(tag, ct);
        if (!done.StartsWith(tag + " OK", StringComparison.Ordinal))
            throw new IOException($"APPEND to {folder} failed: {done}");
        var uid = AppendUid().Match(done);
        return uid.Success ? uint.Parse(uid.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_tcp.Connected)
            await CommandAsync("LOGOUT", CancellationToken.None);
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task CommandAsync(string command, CancellationToken ct, string? logAs = null)
    {
        var tag = NextTag();
        _log($"C: {tag} {logAs ?? command}");
        await WriteAsync($"{tag} {command}\r\n", ct);
        var done = await ReadTaggedAsync(tag, ct);
        if (!done.StartsWith(tag + " OK", StringComparison.Ordinal))
            throw new IOException($"IMAP {(logAs ?? command).Split(' ')[0]} failed: {done}");
    }

    private async Task<string> ReadTaggedAsync(string tag, CancellationToken ct)
    {
        while (true)
        {
            var line = await ReadLineAsync(ct);
            _log($"S: {line}");
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                return line;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        // Byte by byte, so nothing past the STARTTLS reply is read from the plain stream.
        var bytes = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            if (await _stream.ReadAsync(one, ct) == 0)
                throw new IOException($"IMAP server closed the connection after: {Encoding.Latin1.GetString(bytes.ToArray())}");
            if (one[0] == '\n')
                return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add(one[0]);
        }
    }

    private async Task WriteAsync(string text, CancellationToken ct)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await _stream.FlushAsync(ct);
    }

    private string NextTag() => $"e{++_tag:D4}";

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\[APPENDUID \d+ (\d+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex AppendUid();
}
