using System.Diagnostics;

namespace MailIntake.Bench;

/// <summary>
/// What an administrator would script instead: getmail6 downloads the folder to a maildir (IMAPS, the stack's CA),
/// then ripmime extracts every message's attachments, one ripmime per message.
/// </summary>
public static class PeerPipeline
{
    public static async Task<(TimeSpan Getmail, TimeSpan Ripmime, int Messages, int Files)> RunAsync(Stack stack, string folderName, string root)
    {
        var maildir = Path.Combine(root, "maildir");
        foreach (var sub in new[] { "cur", "new", "tmp" })
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        var getmailDir = Path.Combine(root, "getmail");
        Directory.CreateDirectory(getmailDir);
        var rc = Path.Combine(getmailDir, "getmailrc");
        await File.WriteAllTextAsync(rc, $"""
            [retriever]
            type = SimpleIMAPSSLRetriever
            server = {stack.Host}
            port = {stack.ImapsPort}
            username = {stack.User}
            password = {stack.Password}
            mailboxes = ("{folderName}",)
            ca_certs = {stack.CaCertificate}

            [destination]
            type = Maildir
            path = {maildir}/

            [options]
            verbose = 0
            read_all = true
            delete = false
            delivered_to = false
            received = false
            message_log_syslog = false

            """);
        // getmail refuses to deliver as root: as root, run it as nobody, the way an administrator's cron job would run unprivileged.
        string[] command = ["getmail", "--getmaildir", getmailDir, "--rcfile", rc];
        if (Environment.UserName == "root")
        {
            (await Processes.RunAsync("chown", ["-R", "nobody:nogroup", root], root)).EnsureSuccess("chown");
            command = ["runuser", "-u", "nobody", "--", .. command];
        }

        var getmail = await Processes.RunAsync(command[0], command[1..], root);
        getmail.EnsureSuccess("getmail");

        var extracted = Path.Combine(root, "extracted");
        Directory.CreateDirectory(extracted);
        var ripmime = await Processes.RunAsync(
            "bash",
            ["-c", "set -e; for f in \"$1\"/new/*; do d=\"$2/${f##*/}\"; mkdir -p \"$d\"; ripmime -i \"$f\" -d \"$d\"; done", "peer", maildir, extracted],
            root);
        ripmime.EnsureSuccess("ripmime");
        var messages = Directory.GetFiles(Path.Combine(maildir, "new")).Length;
        var files = Directory.GetFiles(extracted, "*", SearchOption.AllDirectories).Length;
        return (getmail.Elapsed, ripmime.Elapsed, messages, files);
    }
}
