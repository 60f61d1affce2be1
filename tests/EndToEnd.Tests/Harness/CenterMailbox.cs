using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// The center's mailbox on the loopback Dovecot (or another stack's server, e.g. Cyrus), seen through one folder of its
/// own (<c>e2e-&lt;guid&gt;</c>), so tests running in parallel never see each other's mail. The program under test is
/// pointed at <see cref="Folder"/>.
/// </summary>
public sealed class CenterMailbox : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly MemoryStream _protocolLog;
    private readonly List<string> _appendLog = [];
    private readonly ITestOutputHelper _output;
    private ImapClient _client;
    private IMailFolder _folder;
    private RawImapSession? _raw;

    private CenterMailbox(MailStackSettings stack, string user, ImapClient client, IMailFolder folder, MemoryStream protocolLog, ITestOutputHelper output)
    {
        Stack = stack;
        User = user;
        _client = client;
        _folder = folder;
        _protocolLog = protocolLog;
        _output = output;
    }

    /// <summary>The server this mailbox is on.</summary>
    public MailStackSettings Stack { get; }

    /// <summary>The unique folder this test's mail goes to; pass it as MailIntake__Mailbox__Folder.</summary>
    public string Folder => _folder.FullName;

    /// <summary>The account the program logs in as: the stack's center user unless a test names another.</summary>
    public string User { get; }

    public string Password => Stack.PasswordOf(User);

    public static Task<CenterMailbox> CreateAsync(ITestOutputHelper output) =>
        CreateAsync(output, MailStack.Settings, MailStack.Settings.CenterUser);

    public static async Task<CenterMailbox> CreateAsync(ITestOutputHelper output, MailStackSettings stack, string user)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var log = new MemoryStream();
        var client = await ConnectAsync(stack, user, new ProtocolLogger(log, leaveOpen: true), cts.Token);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var name = $"e2e-{Guid.NewGuid():N}";
        var folder = await root.CreateAsync(name, isMessageFolder: true, cts.Token)
                     ?? throw new InvalidOperationException($"{stack.Server} did not create IMAP folder {name}");
        return new CenterMailbox(stack, user, client, folder, log, output);
    }

    /// <summary>APPENDs the message exactly as given (line endings must already be CRLF, see <see cref="Crlf"/>).</summary>
    public async Task<uint> AppendAsync(byte[] raw)
    {
        using var cts = new CancellationTokenSource(Timeout);
        _raw ??= await RawImapSession.OpenAsync(Stack, User, Password, _appendLog.Add, cts.Token);
        return await _raw.AppendAsync(Folder, raw, cts.Token);
    }

    /// <summary>
    /// APPENDs with an INTERNALDATE: the message reached the server at <paramref name="arrivedOnTestTimeline"/> (a moment on
    /// <see cref="TestClock"/>'s timeline, given to the server on the real clock it stamps by).
    /// </summary>
    public async Task<uint> AppendArrivedAtAsync(MimeMessage message, DateTimeOffset arrivedOnTestTimeline)
    {
        using var cts = new CancellationTokenSource(Timeout);
        _raw ??= await RawImapSession.OpenAsync(Stack, User, Password, _appendLog.Add, cts.Token);
        return await _raw.AppendAsync(Folder, Crlf.Serialize(message), cts.Token, arrivedOnTestTimeline - (TestClock.Now - DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// After the server dropped every connection of this user (a test's kick or restart): the harness's own MailKit
    /// and APPEND sessions are opened anew, so appending, counting and cleaning up keep working.
    /// </summary>
    public async Task ReconnectAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        if (_raw is not null)
        {
            try
            {
                await _raw.DisposeAsync();
            }
            catch (IOException e)
            {
                _appendLog.Add($"(APPEND session was dropped by the server: {e.Message})");
            }
            _raw = null;
        }

        _client.Dispose();
        _client = await ConnectAsync(Stack, User, new ProtocolLogger(_protocolLog, leaveOpen: true), cts.Token);
        _folder = await _client.GetFolderAsync(_folder.FullName, cts.Token);
    }

    public Task<uint> AppendAsync(MimeMessage message) => AppendAsync(Crlf.Serialize(message));

    public async Task<int> CountAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _folder.StatusAsync(StatusItems.Count, cts.Token);
        return _folder.Count;
    }

    /// <summary>The folder's UIDVALIDITY as the server reports it now.</summary>
    public async Task<uint> UidValidityAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _folder.StatusAsync(StatusItems.UidValidity, cts.Token);
        return _folder.UidValidity;
    }

    /// <summary>Deletes this test's folder and creates it again under the same name, empty: the server gives it a new UIDVALIDITY.</summary>
    public async Task RecreateFolderAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var name = _folder.Name;
        await _folder.DeleteAsync(cts.Token);
        var root = _client.GetFolder(_client.PersonalNamespaces[0]);
        _folder = await root.CreateAsync(name, isMessageFolder: true, cts.Token)
                  ?? throw new InvalidOperationException($"{Stack.Server} did not create IMAP folder {name} again");
    }

    /// <summary>
    /// The server's store of this folder restored from an older backup (Dovecot only): the folder made again, empty, with
    /// its old UIDVALIDITY (<c>doveadm mailbox update</c>), so the UIDs after the backup's are handed out again.
    /// </summary>
    public async Task RestoreFolderKeepingUidValidityAsync()
    {
        var validity = await UidValidityAsync();
        await RecreateFolderAsync();
        var start = new System.Diagnostics.ProcessStartInfo("doveadm") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", Path.Combine(Stack.Directory, "dovecot", "dovecot.conf"), "mailbox", "update", "-u", User, "--uid-validity", validity.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("doveadm did not start");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"doveadm mailbox update exited {process.ExitCode}: {await error}");
        if (await UidValidityAsync() != validity)
            throw new InvalidOperationException($"{Folder} did not keep UIDVALIDITY {validity}");
    }

    /// <summary>Flags <paramref name="uid"/> \\Deleted and expunges it, as a staff member's "move to another folder" does.</summary>
    public async Task ExpungeAsync(uint uid)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _folder.OpenAsync(FolderAccess.ReadWrite, cts.Token);
        await _folder.AddFlagsAsync(new UniqueId(uid), MessageFlags.Deleted, silent: true, cts.Token);
        await _folder.ExpungeAsync(cts.Token);
        await _folder.CloseAsync(expunge: false, cts.Token);
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
        using var client = await ConnectAsync(MailStack.Settings, user, logger: null, ct);
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

    private static async Task<ImapClient> ConnectAsync(MailStackSettings stack, string user, ProtocolLogger? logger, CancellationToken ct)
    {
        var client = logger is null ? new ImapClient() : new ImapClient(logger);
        client.ServerCertificateValidationCallback = stack.CertificateValidator;
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
