using System.Runtime.CompilerServices;
using System.Text;

namespace MailIntake.Worker;

internal static class EncodingSetup
{
    /// <summary>
    /// Runs before any code of this assembly, so before anything touches MimeKit: MimeKit builds its charset
    /// table once, and without the code-pages provider Big5 would be missing from it (names decoded as Latin-1).
    /// </summary>
    [ModuleInitializer]
    internal static void RegisterCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
