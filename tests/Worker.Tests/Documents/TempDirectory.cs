namespace MailIntake.Worker.Tests.Documents;

internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mailintake-forms-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
