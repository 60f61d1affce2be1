using Dapper;

namespace MailIntake.Storage;

public sealed record ComponentHealth(string Component, DateTimeOffset? LastSuccessAt, DateTimeOffset? FailingSince, string? LastError, int Failures);

/// <summary>
/// The last success and the start of the current run of failures, per component. Mail tools have lost mail for
/// weeks because nothing said that fetching had stopped working; this is what says it.
/// </summary>
public sealed class HealthRepository(Database database)
{
    public const string Intake = "intake";
    public const string Send = "send";
    public const string Token = "token";

    public void Succeeded(string component, DateTimeOffset now)
    {
        using var connection = database.Open();
        connection.Execute(
            """
            INSERT INTO health (component, last_success_at, failing_since, last_error, failures, updated_at)
            VALUES (@component, @now, NULL, NULL, 0, @now)
            ON CONFLICT (component) DO UPDATE SET
                last_success_at = excluded.last_success_at, failing_since = NULL, last_error = NULL, failures = 0,
                updated_at = excluded.updated_at
            """,
            new { component, now = Instants.Format(now) });
    }

    public void Failed(string component, string error, DateTimeOffset now)
    {
        using var connection = database.Open();
        connection.Execute(
            """
            INSERT INTO health (component, last_success_at, failing_since, last_error, failures, updated_at)
            VALUES (@component, NULL, @now, @error, 1, @now)
            ON CONFLICT (component) DO UPDATE SET
                failing_since = COALESCE(failing_since, excluded.failing_since), last_error = excluded.last_error,
                failures = failures + 1, updated_at = excluded.updated_at
            """,
            new { component, error, now = Instants.Format(now) });
    }

    public IReadOnlyList<ComponentHealth> List()
    {
        using var connection = database.Open();
        return connection.Query<(string Component, string? LastSuccessAt, string? FailingSince, string? LastError, long Failures)>(
                "SELECT component, last_success_at, failing_since, last_error, failures FROM health ORDER BY component")
            .Select(row => new ComponentHealth(row.Component, Instants.ParseOrNull(row.LastSuccessAt), Instants.ParseOrNull(row.FailingSince), row.LastError, (int)row.Failures))
            .ToList();
    }

    public ComponentHealth? Get(string component) => List().SingleOrDefault(health => health.Component == component);
}
