using System.Globalization;

namespace MailIntake.Bench;

/// <summary>The real, built program (<c>dotnet mailintake.dll</c>, Release), configured only by MailIntake__* variables.</summary>
public sealed class Mailintake(string programDirectory, Stack stack)
{
    public string Dll => Path.Combine(programDirectory, "mailintake.dll");

    public Dictionary<string, string> Environment(string dataDirectory, string folder, bool useIdle) => new(StringComparer.Ordinal)
    {
        ["MailIntake__DataDirectory"] = dataDirectory,
        ["MailIntake__Mailbox__Kind"] = "Imap",
        ["MailIntake__Mailbox__Host"] = stack.Host,
        ["MailIntake__Mailbox__Port"] = stack.ImapPort.ToString(CultureInfo.InvariantCulture),
        ["MailIntake__Mailbox__Security"] = "StartTls",
        ["MailIntake__Mailbox__CaCertificate"] = stack.CaCertificate,
        ["MailIntake__Mailbox__User"] = stack.User,
        ["MailIntake__Mailbox__Password"] = stack.Password,
        ["MailIntake__Mailbox__Folder"] = folder,
        ["MailIntake__Mailbox__UseIdle"] = useIdle ? "true" : "false",
        ["MailIntake__Smtp__Kind"] = "Folder",
        ["MailIntake__Smtp__PickupFolder"] = Path.Combine(dataDirectory, "pickup"),
    };

    public Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Processes.RunAsync("dotnet", [Dll, .. args], workingDirectory, environment);

    /// <summary><c>/usr/bin/time -v dotnet mailintake.dll ARGS</c>: the run and its peak resident set size in KB.</summary>
    public async Task<(ProcessResult Result, long MaxRssKb)> RunMeasuredAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = await Processes.RunAsync("/usr/bin/time", ["-v", "dotnet", Dll, .. args], workingDirectory, environment);
        var line = result.Stderr.Split('\n').Single(l => l.Contains("Maximum resident set size", StringComparison.Ordinal));
        return (result, long.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture));
    }
}
