using System.Runtime.CompilerServices;
using System.Text;

namespace MailIntake.EndToEnd.Tests.Harness;

internal static class CodePages
{
    /// <summary>
    /// Big5 (and the other legacy code pages) must be registered before MimeKit first resolves a charset: MimeKit
    /// caches what it could not find, and MailKit touches it on connect, before any test builds a message.
    /// </summary>
#pragma warning disable CA2255 // a test assembly is the intended use: nothing else runs earlier
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
