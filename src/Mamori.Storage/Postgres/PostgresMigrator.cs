using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Mamori.Storage.Postgres;

/// <summary>
/// Applies a set of versioned migration steps to the current PostgreSQL schema, in one transaction, under a
/// transaction-scoped advisory lock: nodes starting together queue, and the first applies what is missing. Shared by the
/// records' schema (<see cref="PostgresStorage"/>) and the money flows' (each with its own version table and lock class).
/// </summary>
public static class PostgresMigrator
{
    /// <summary>Applies the steps newer than the version <paramref name="versionTable"/> records.</summary>
    /// <param name="dataSource">Where to connect.</param>
    /// <param name="versionTable">The table recording applied versions (created if missing); a constant of the caller's.</param>
    /// <param name="lockClass">The advisory lock's class: one per set of migrations, so two sets do not queue on each other.</param>
    /// <param name="steps">Version and SQL (several statements, no parameters), in ascending order.</param>
    /// <param name="newerThanKnown">The error's message when the schema is at a version past the last step (given that version).</param>
    /// <exception cref="InvalidOperationException">The schema is newer than <paramref name="steps"/> know.</exception>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, string versionTable, int lockClass, IReadOnlyList<(int Version, string Sql)> steps,
        Func<int, string> newerThanKnown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(newerThanKnown);
        await using NpgsqlConnection c = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", cancellationToken, lockClass).ConfigureAwait(false);
        await ExecuteAsync(c, tx, $"CREATE TABLE IF NOT EXISTS {versionTable} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)", cancellationToken)
            .ConfigureAwait(false);
        int current;
        await using (var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {versionTable}", c, tx))
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > steps[^1].Version) throw new InvalidOperationException(newerThanKnown(current));
        foreach ((int version, string sql) in steps)
        {
            if (version <= current) continue;
            // A step is several statements without parameters: NpgsqlCommand splits them; the mark is a second command.
            await using (var step = new NpgsqlCommand(sql, c, tx))
                await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(c, tx, $"INSERT INTO {versionTable} (version, applied_at) VALUES ($1, now())", cancellationToken, version).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken ct, int? argument = null)
    {
        await using var command = new NpgsqlCommand(sql, c, tx);
        if (argument is { } value) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = value });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
