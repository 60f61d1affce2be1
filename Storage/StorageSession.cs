using Microsoft.Data.Sqlite;

namespace MailIntake.Storage;

/// <summary>
/// One write transaction (BEGIN IMMEDIATE: writers queue, a read inside it sees what it will change). A use case
/// loads, decides and writes through one session and commits once; disposing without <see cref="Commit"/> rolls
/// everything back, files written for it included (<see cref="OnRollback"/>).
/// </summary>
public sealed class StorageSession : IDisposable
{
    private readonly List<Action> _undo = [];
    private bool _committed;

    private readonly Action<SqliteConnection, SqliteTransaction>? _beforeCommit;

    internal StorageSession(SqliteConnection connection, bool readOnly = false, Action<SqliteConnection, SqliteTransaction>? beforeCommit = null)
    {
        Connection = connection;
        Transaction = connection.BeginTransaction(deferred: readOnly);
        _beforeCommit = beforeCommit;
    }

    internal SqliteConnection Connection { get; }

    internal SqliteTransaction Transaction { get; }

    /// <summary>Something outside the database done for this session (a rendered mail file) that a rollback must undo.</summary>
    public void OnRollback(Action undo) => _undo.Add(undo);

    public void Commit()
    {
        _beforeCommit?.Invoke(Connection, Transaction);
        Transaction.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            Transaction.Rollback();
            foreach (var undo in _undo)
            {
                undo();
            }
        }

        Transaction.Dispose();
        Connection.Dispose();
    }
}
