using System.Diagnostics;
using Xunit.Sdk;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// A real mail client: NeoMutt (Debian <c>neomutt</c>, driven through a terminal by <c>expect</c>) opens a new mail
/// from a <c>mailto:</c> URL exactly as a member's click would, accepts the prefilled To, Subject and body, and sends
/// it with STARTTLS and the member's login through the stack's Postfix.
/// </summary>
public static class Neomutt
{
    // Waits for each screen (To prompt, Subject prompt, the compose menu) and answers it: no timing, only what is shown.
    private const string Script = """
        set timeout 120
        spawn neomutt -n -F [lindex $argv 0] [lindex $argv 1]
        expect {
          -re {Security:} { send "y" }
          -re {To: } { send "\r"; exp_continue }
          -re {Subject: } { send "\r"; exp_continue }
          timeout { puts "no compose menu"; exit 2 }
        }
        expect {
          -re {Mail sent} { exit 0 }
          -re {(Error|failed|refused)[^\r]*} { puts "send failed: $expect_out(0,string)"; exit 3 }
          timeout { puts "no 'Mail sent'"; exit 3 }
        }
        """;

    /// <summary>Composes from <paramref name="mailto"/> as <paramref name="name"/> &lt;<paramref name="from"/>&gt; and sends it with <paramref name="login"/>'s password.</summary>
    public static async Task SendAsync(string mailto, string from, string name, string login, string workDirectory)
    {
        var stack = MailStack.Settings;
        var home = Path.Combine(workDirectory, "neomutt");
        Directory.CreateDirectory(Path.Combine(home, "Mail"));
        var rc = Path.Combine(home, "neomuttrc");
        await File.WriteAllLinesAsync(rc,
        [
            $"set from=\"{from}\"",
            $"set realname=\"{name}\"",
            $"set smtp_url=\"smtp://{Uri.EscapeDataString(login)}@{stack.Host}:{stack.SmtpPort}/\"",
            $"set smtp_pass=\"{stack.PasswordOf(login)}\"",
            "set ssl_starttls=yes",
            "set ssl_force_tls=yes",
            $"set ssl_ca_certificates_file=\"{stack.CaCertificateFile}\"",
            "set charset=\"utf-8\"",
            "set send_charset=\"utf-8\"",
            // The member edits nothing: the body stays as the link wrote it, and an unchanged body is still sent.
            "set editor=\"true\"",
            "set abort_unmodified=no",
            "set copy=no",
            $"set folder=\"{Path.Combine(home, "Mail")}\"",
        ]);
        var script = Path.Combine(home, "send.exp");
        await File.WriteAllTextAsync(script, Script);

        var start = new ProcessStartInfo("expect")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(rc);
        start.ArgumentList.Add(mailto);
        start.Environment["HOME"] = home;
        start.Environment["TERM"] = "xterm";
        using var process = Process.Start(start) ?? throw new XunitException("expect did not start (test.sh installs expect and neomutt)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new XunitException($"neomutt did not send the mail (expect exited {process.ExitCode}): {await stdout} {await stderr}");
    }
}
