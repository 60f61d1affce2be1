using System.Text;

namespace MailIntake.EndToEnd.Tests.Harness;

/// <summary>
/// One test's private directory tree under the system temp folder:
/// <c>data/</c> (the program's DataDirectory), <c>outbox/</c> (its SMTP pickup folder), <c>drop/</c> (its Folder mailbox,
/// when used) and <c>input/</c> (files the test writes).
/// The program runs with this root as its working directory.
/// </summary>
public sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "mailintake-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Input);
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string Outbox => Path.Combine(Root, "outbox");

    public string Input => Path.Combine(Root, "input");

    /// <summary>Writes a UTF-8 (no BOM) input file and returns its full path.</summary>
    public string WriteInput(string name, string content)
    {
        var path = Path.Combine(Input, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MAILINTAKE_E2E_KEEP") != "1" && Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
