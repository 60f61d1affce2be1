using System.Runtime.CompilerServices;
using System.Text;

namespace MailIntake.Parsing;

internal static class CodePages
{
    /// <summary>
    /// MimeKit builds its charset table once, on first use; if the code-pages provider is not registered by then,
    /// Big5 is missing from it for the life of the process and Chinese names decode as Latin-1.
    /// Registering when this assembly loads covers every host of the parser (worker, tests, tools).
    /// </summary>
#pragma warning disable CA2255 // Deliberately in a library: the registration must precede any MimeKit use by any caller.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
