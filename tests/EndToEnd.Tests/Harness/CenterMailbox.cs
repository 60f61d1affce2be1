using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The center's mailbox on the loopback Dovecot, seen through one folder of its own (<c>e2e-&lt;guid&gt;</c>),
/// so tests running in parallel never see each other's mail. The program under test is pointed at <see cref="Folder"/>.
/// </summary>
public sealed class CenterMailbox : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ImapClient _client;
    private readonly IMailFolder _folder;
    private readonly MemoryStream _protocolLog;
    private readonly List<string> _appendLog = [];
    private readonly ITestOutputHelper _output;
    private RawImapSession? _raw;

    private CenterMailbox(ImapClient client, IMailFolder folder, MemoryStream protocolLog, ITestOutputHelper output)
    {
        _client = client;
        _folder = folder;
        _protocolLog = protocolLog;
        _output = output;
    }

    /// <summary>The unique folder this test's mail goes to; pass it as MailIntake__Mailbox__Folder.</summary>
    public string Folder => _folder.FullName;

    public string User => MailStack.Settings.CenterUser;

    public string Password => MailStack.Settings.PasswordOf(User);

    public static async Task<CenterMailbox> CreateAsync(ITestOutputHelper output)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stack = MailStack.Settings;
        var log = new MemoryStream();
        var client = await ConnectAsync(stack.CenterUser, new ProtocolLogger(log, leaveOpen: true), cts.Token);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var name = $"e2e-{Guid.NewGuid():N}";
        var folder = await root.CreateAsync(name, isMessageFolder: true, cts.Token)
                     ?? throw new InvalidOperationException($"Dovecot did not create IMAP folder {name}");
        return new CenterMailbox(client, folder, log, output);
    }

    /// <summary>APPENDs the message exactly as given (line endings must already be CRLF, see <see cref="Crlf"/>).</summary>
    public async Task<uint> AppendAsync(byte[] raw)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var stack = MailStack.Settings;
        _raw ??= await RawImapSession.OpenAsync(stack, User, Password, _appendLog.Add, cts.Token);
        return await _raw.AppendAsync(Folder, raw, cts.Token);
    }

    public Task<uint> AppendAsync(MimeMessage message) => AppendAsync(Crlf.Serialize(message));

    public async Task<int> CountAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _folder.StatusAsync(StatusItems.Count, cts.Token);
        return _folder.Count;
    }

    /// <summary>The bytes the server stores for <paramref name="uid"/> in this test's folder.</summary>
    public async Task<byte[]> ReadRawAsync(uint uid)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _folder.OpenAsync(FolderAccess.ReadOnly, cts.Token);
        using var stream = await _folder.GetStreamAsync(new UniqueId(uid), string.Empty, cts.Token);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cts.Token);
        await _folder.CloseAsync(expunge: false, cts.Token);
        return copy.ToArray();
    }

    /// <summary>Every message in another user's INBOX (e.g. what the program mailed to org1 or staff).</summary>
    public static async Task<IReadOnlyList<MimeMessage>> ReadInboxAsync(string user, CancellationToken ct = default)
    {
        using var client = await ConnectAsync(user, logger: null, ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < client.Inbox.Count; i++)
            messages.Add(await client.Inbox.GetMessageAsync(i, ct));
        await client.DisconnectAsync(quit: true, ct);
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        if (_raw is not null)
            await _raw.DisposeAsync();
        if (Environment.GetEnvironmentVariable("MAILINTAKE_E2E_KEEP") == "1")
            _output.WriteLine($"kept IMAP folder {Folder} (MAILINTAKE_E2E_KEEP=1)");
        else
            await _folder.DeleteAsync(cts.Token);
        await _client.DisconnectAsync(quit: true, cts.Token);
        _client.Dispose();

        // xunit shows a test's output when it fails: this is the harness's side of the IMAP conversation.
        _output.WriteLine($"--- harness IMAP (MailKit) as {User}, folder {Folder} ---");
        _output.WriteLine(Tail(Encoding.UTF8.GetString(_protocolLog.ToArray()), 8_000));
        _output.WriteLine("--- harness IMAP APPEND session ---");
        _output.WriteLine(Tail(string.Join('\n', _appendLog), 8_000));
        await _protocolLog.DisposeAsync();
    }

    private static async Task<ImapClient> ConnectAsync(string user, ProtocolLogger? logger, CancellationToken ct)
    {
        var stack = MailStack.Settings;
        var client = logger is null ? new ImapClient() : new ImapClient(logger);
        client.ServerCertificateValidationCallback = MailStack.ValidateServerCertificate;
        try
        {
            await client.ConnectAsync(stack.Host, stack.ImapPort, SecureSocketOptions.StartTls, ct);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new MailStackNotRunningException($"IMAP {stack.Host}:{stack.ImapPort} refused: {e.Message}");
        }
        await client.AuthenticateAsync(user, stack.PasswordOf(user), ct);
        return client;
    }

    private static string Tail(string text, int max) =>
        text.Length <= max ? text : "…" + text[^max..];
}
