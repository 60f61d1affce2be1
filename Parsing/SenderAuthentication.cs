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
}
