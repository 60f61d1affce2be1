namespace MailIntake.Worker.Mail;

/// <summary>
/// No token could be had from the identity provider (wrong or expired client secret, unknown client, provider
/// unreachable). Not a MailKit <see cref="MailKit.Security.AuthenticationException"/> on purpose: the provider may be
/// back at the next pass, so the worker keeps running and keeps saying so, rather than stopping as it does when the
/// mail server refuses a login.
/// </summary>
public sealed class OAuthTokenException(string message, Exception innerException) : Exception(message, innerException);
