using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailIntake.EndToEnd.Tests.TestData;
using Xunit.Abstractions;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// Per test (xunit makes one instance per test): a fresh workspace, a fresh IMAP folder of the center's
/// mailbox and the program configured to read it. Tests in different classes run in parallel.
/// </summary>
public abstract partial class EndToEndTest(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions DumpOptions = new(ContractJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private CenterMailbox? _mailbox;
    private TestWorkspace? _workspace;

    protected ITestOutputHelper Output { get; } = output;

    protected TestWorkspace Workspace => _workspace ?? throw new InvalidOperationException("InitializeAsync has not run");

    protected CenterMailbox Mailbox => _mailbox ?? throw new InvalidOperationException("InitializeAsync has not run");

    protected MailIntakeCli Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // xunit 2 does not call DisposeAsync when InitializeAsync throws: create nothing before the mailbox exists.
        _mailbox = await CenterMailbox.CreateAsync(Output, Stack, CenterUser);
        _workspace = new TestWorkspace();
        Cli = MailIntakeCli.ForImap(_workspace, Output, _mailbox.Folder, Stack, CenterUser);
        ConfigureProgram(Cli);
    }

    /// <summary>The IMAP server the center's mailbox is on: the loopback Dovecot unless a suite names another.</summary>
    protected virtual MailStackSettings Stack => MailStack.Settings;

    /// <summary>The account the program reads: the stack's center user unless a suite names another.</summary>
    protected virtual string CenterUser => Stack.CenterUser;

    /// <summary>A scenario's changes to the program's configuration (e.g. real SMTP), applied before the test runs.</summary>
    protected virtual void ConfigureProgram(MailIntakeCli cli)
    {
    }

    public async Task DisposeAsync()
    {
        if (_mailbox is not null)
            await _mailbox.DisposeAsync();
        _workspace?.Dispose();
    }

    /// <summary>Imports <see cref="Orgs.Csv"/> and issues one notice to <see cref="Orgs.TestGuild"/>; returns its reference.</summary>
    protected async Task<string> ImportOrgsAndIssueNoticeAsync()
    {
        await Cli.ImportOrgsAsync(Orgs.Csv);
        return await Cli.IssueNoticeAsync(Orgs.TestGuild);
    }

    /// <summary>
    /// Waits until the program has done some work (<paramref name="condition"/>, polled every 20 ms). The bound is generous,
    /// 3 minutes: it waits for work, and a loaded CI machine may be slow to do it.
    /// </summary>
    protected static async Task WaitForWorkAsync(Func<bool> condition, Func<string> failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(3))
                throw new Xunit.Sdk.XunitException(failure());
            await Task.Delay(20);
        }
    }

    /// <summary>Readable JSON of what the program reported, for failure messages.</summary>
    protected static string Dump<T>(T value) => JsonSerializer.Serialize(value, DumpOptions);

    /// <summary>A Message-ID compared without its angle brackets (the contract does not say whether they are kept).</summary>
    protected static string? BareMessageId(string? id) => id?.Trim().TrimStart('<').TrimEnd('>');

    protected static void AssertInstant(string value, string what) =>
        Assert.True(InstantPattern().IsMatch(value), $"{what} must be ISO 8601 with an offset, got \"{value}\"");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex InstantPattern();
}
