using MailKit.Security;

namespace MailIntake.Worker.Mail;

/// <summary>
/// The mail server refused our token, a freshly obtained one too (expired or invalid token, or the app has no right to
/// this mailbox). An <see cref="AuthenticationException"/>, so it is handled as a refused login everywhere: not retried,
/// the outbox stops its run.
/// </summary>
public sealed class OAuthTokenRefusedException(string message, Exception innerException)
    : AuthenticationException(message, innerException);
