using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailIntake.EndToEnd.Tests.Harness;

// The JSON shapes of CONTRACT.md. Deserialised with RespectRequiredConstructorParameters and
// RespectNullableAnnotations: a missing key, or null where the contract has no null, fails the test.
// Dates and instants stay strings so tests assert their exact text (yyyy-MM-dd; ISO 8601 with offset).
// Extra keys are allowed ("add to it freely").

public sealed record NoticeJson(
    string Reference,
    string OrgCode,
    string OrgName,
    string Status,
    string Deadline,
    string IssuedAt,
    string HostIp,
    IReadOnlyList<string> MaliciousIps,
    string IncidentFrom,
    string IncidentTo,
    IReadOnlyList<OutboundJson> Outbound,
    IReadOnlyList<ReplyJson> Replies,
    IReadOnlyList<PhoneConfirmationJson> PhoneConfirmations,
    IReadOnlyList<FollowUpJson> FollowUps,
    IReadOnlyList<TimelineEntryJson> Timeline,
    string? DeadlineIssued = null);

// attempts and lastError are the program's additions to the contract's outbound entry: optional here, so the
// contract's own keys stay the only required ones; the outbox tests assert them where they matter.
public sealed record OutboundJson(
    string Kind,
    IReadOnlyList<string> To,
    string? MessageId,
    string? SentAt,
    string Status,
    int? Attempts = null,
    string? LastError = null);

public sealed record ReplyJson(
    [property: JsonConverter(typeof(IdConverter))] string MailId,
    string? MessageId,
    string From,
    string ReceivedAt,
    string MatchedBy,
    FillerJson? Filler,
    string? CompletedOn,
    IReadOnlyList<EvidenceJson> Evidence,
    string? CompletedOnDoubt = null);

public sealed record FillerJson(string? Name, string? Phone, string? Email);

public sealed record EvidenceJson(string FileName, string Sha256, long Size, int? Item, IReadOnlyList<string> Flags);

public sealed record PhoneConfirmationJson(string By, string At, string? Note, string? Result = null);

public sealed record FollowUpJson(int Round, string Result, string? Until, string? SuspendFrom, string By, string At, string? Note);

public sealed record TimelineEntryJson(string At, string Event, string? Detail);

public sealed record NoticeSummaryJson(string Reference, string OrgCode, string OrgName, string Status, string Deadline, string IssuedAt);

public sealed record MailJson(
    [property: JsonConverter(typeof(IdConverter))] string MailId,
    string? MessageId,
    string Kind,
    string? From,
    string? Subject,
    string ReceivedAt,
    string? NoticeRef,
    string? Reason,
    IReadOnlyList<string>? Flags = null);

/// <summary>The contract does not say whether a mail id is a number or a string; accept both, compare as text.</summary>
public sealed class IdConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new JsonException($"an id must be a string or a number, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

public static class ContractJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };
}
