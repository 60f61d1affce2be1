using System.Runtime.CompilerServices;
using System.Text;

namespace MailIntake.Worker.Tests;

internal static class CodePages
{
    /// <summary>Before any test touches MimeKit, whose charset table is built once: Big5 must be in it.</summary>
    [ModuleInitializer]
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
