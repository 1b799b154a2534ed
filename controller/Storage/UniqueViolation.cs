using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CamaraQos.Controller.Storage;

/// <summary>
/// Whether the database refused a write because a unique index already holds the key: the answer stores
/// turn into a 409, since under concurrent creates (several controllers, PostgreSQL's read committed) only
/// the index, not a SELECT before the INSERT, sees the other writer.
/// </summary>
public static class UniqueViolation
{
    /// <summary>SQLITE_CONSTRAINT_UNIQUE: a UNIQUE index (the primary key has its own code, 1555).</summary>
    private const int SqliteConstraintUnique = 2067;

    public static bool Is(DbException e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */ && sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
