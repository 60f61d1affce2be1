using System.Diagnostics;

namespace MailIntake.Bench;

/// <summary>
/// The fastest fetcher an administrator would pick: <c>mbsync</c> (Debian's isync) pulling the folder into a Maildir
/// over STARTTLS on the port intake uses, trusting the stack's CA; its defaults otherwise (it fsyncs what it writes).
/// isync matches the certificate against the host name only, so loopback is named <c>localhost</c> (in the stack's certificate).
/// </summary>
public static class Mbsync
{
    public static async Task<(TimeSpan Elapsed, int Messages)> RunAsync(Stack stack, string folderName, string root)
    {
        var maildir = Path.Combine(root, "maildir");
        Directory.CreateDirectory(maildir);
        var rc = Path.Combine(root, "mbsyncrc");
        await File.WriteAllTextAsync(rc, $"""
            IMAPAccount center
            Host {(stack.Host == "127.0.0.1" ? "localhost" : stack.Host)}
            Port {stack.ImapPort}
            User {stack.User}
            Pass "{stack.Password}"
            SSLType STARTTLS
            CertificateFile {stack.CaCertificate}

            IMAPStore center-remote
            Account center

            MaildirStore local
            Path {maildir}/
            Inbox {maildir}/INBOX
            SubFolders Verbatim

            Channel bench
            Far :center-remote:"{folderName}"
            Near :local:bench
            Sync Pull
            Create Near
            SyncState {root}/state/

            """);
        Directory.CreateDirectory(Path.Combine(root, "state"));
        var watch = Stopwatch.StartNew();
        var result = await Processes.RunAsync("mbsync", ["-c", rc, "-q", "bench"], root);
        var elapsed = watch.Elapsed;
        result.EnsureSuccess("mbsync");
        var folder = Path.Combine(maildir, "bench");
        var messages = Directory.GetFiles(Path.Combine(folder, "new")).Length + Directory.GetFiles(Path.Combine(folder, "cur")).Length;
        return (elapsed, messages);
    }
}
