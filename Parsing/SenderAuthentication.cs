using MimeKit;
using MimeKit.Cryptography;

namespace MailIntake.Parsing;

/// <summary>What the center's own mail server said about the sender (SPF, DKIM, DMARC), when it said it.</summary>
public sealed record SenderVerdict(bool Failed, string? Reason);

/// <summary>
/// Reads Authentication-Results only from the servers named as trusted (their authserv-id): any other such header
/// may have been written by the sender and proves nothing. A fail (or softfail for SPF) there makes the mail suspicious.
/// </summary>
public static class SenderAuthentication
{
    private static readonly string[] Checked = ["spf", "dkim", "dmarc"];

    public static SenderVerdict Check(MimeMessage message, IReadOnlyCollection<string> trustedServIds)
    {
        if (trustedServIds.Count == 0)
        {
            return new SenderVerdict(false, null);
        }

        var failures = new List<string>();
        foreach (var header in message.Headers.Where(header => header.Id == HeaderId.AuthenticationResults))
        {
            if (!AuthenticationResults.TryParse(header.RawValue, out var results)
                || results.AuthenticationServiceIdentifier is not { } servId
                || !trustedServIds.Contains(servId, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            failures.AddRange(results.Results
                .Where(result => Checked.Contains(result.Method, StringComparer.OrdinalIgnoreCase))
                .Where(result => result.Result is { } verdict
                    && (verdict.Equals("fail", StringComparison.OrdinalIgnoreCase)
                        || (verdict.Equals("softfail", StringComparison.OrdinalIgnoreCase) && result.Method.Equals("spf", StringComparison.OrdinalIgnoreCase))))
                .Select(result => $"{result.Method.ToLowerInvariant()}={result.Result!.ToLowerInvariant()}"));
        }

        return failures.Count == 0
            ? new SenderVerdict(false, null)
            : new SenderVerdict(true, string.Join(" ", failures.Distinct()));
    }

    /// <summary>
    /// Whether a trusted server vouched for the sender: at least one spf, dkim or dmarc "pass" in an
    /// Authentication-Results header of a trusted authserv-id, and no failure (<see cref="Check"/>). Staff commands by mail
    /// ask this much when trusted ids are configured; with none configured there is nothing to ask and it is false.
    /// </summary>
    public static bool Passed(MimeMessage message, IReadOnlyCollection<string> trustedServIds)
    {
        if (trustedServIds.Count == 0 || Check(message, trustedServIds).Failed)
        {
            return false;
        }

        return message.Headers
            .Where(header => header.Id == HeaderId.AuthenticationResults)
            .Select(header => AuthenticationResults.TryParse(header.RawValue, out var results) ? results : null)
            .Where(results => results?.AuthenticationServiceIdentifier is { } servId && trustedServIds.Contains(servId, StringComparer.OrdinalIgnoreCase))
            .SelectMany(results => results!.Results)
            .Any(result => Checked.Contains(result.Method, StringComparer.OrdinalIgnoreCase)
                           && string.Equals(result.Result, "pass", StringComparison.OrdinalIgnoreCase));
    }
}
