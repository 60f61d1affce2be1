using MailIntake.Worker.Options;
using MailKit.Security;

namespace MailIntake.Worker.Mail;

public static class TransportSecurityExtensions
{
    public static SecureSocketOptions ToSocketOptions(this TransportSecurity security) => security switch
    {
        TransportSecurity.None => SecureSocketOptions.None,
        TransportSecurity.StartTls => SecureSocketOptions.StartTls,
        TransportSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "unknown transport security"),
    };
}
