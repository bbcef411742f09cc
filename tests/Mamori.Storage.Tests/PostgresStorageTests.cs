using Mamori.Storage;
using Mamori.Storage.Postgres;
using Npgsql;

namespace Mamori.Storage.Tests;

/// <summary>A fresh schema on the test server named by MAMORI_TEST_POSTGRES, dropped afterwards.</summary>
internal sealed class PostgresTestSchema : IDisposable
{
    /// <summary>Environment variable naming the test server (Npgsql connection string or postgres:// URL).</summary>
    public const string Variable = "MAMORI_TEST_POSTGRES";

    /// <summary>Why PostgreSQL tests skip here, or null when a server is named.</summary>
    public static string? SkipReason => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable))
        ? $"{Variable} is unset (an Npgsql connection string or postgres:// URL; .ci/services.sh starts one on 127.0.0.1:45432)."
        : null;

    private readonly NpgsqlConnectionStringBuilder _server;

    public PostgresTestSchema()
    {
        _server = PostgresConnectionString.Parse(Environment.GetEnvironmentVariable(Variable)!);
        Name = "t_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { SearchPath = Name }.ConnectionString;
    }

    /// <summary>The schema's name.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string whose search path is the fresh schema.</summary>
    public string ConnectionString { get; }

    /// <summary>Runs SQL in the schema and returns the first column of the first row.</summary>
    public object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        object? value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}

/// <summary>The storage contract on PostgreSQL, plus migrations under concurrency and connection errors.</summary>
public sealed class PostgresStorageTests : StorageContractTests
{
    private readonly PostgresTestSchema? _schema = PostgresTestSchema.SkipReason is null ? new PostgresTestSchema() : null;

    protected override IMamoriStorage Create() => new PostgresStorage(_schema!.ConnectionString);

    protected override void SkipUnlessAvailable() => Skip.If(_schema is null, PostgresTestSchema.SkipReason);

    protected override (int Latest, int Steps) Migrations => (PostgresMigrations.Latest, PostgresMigrations.Steps.Length);

    protected override Task<object?> SqlAsync(string sql) => Task.FromResult(_schema!.Scalar(sql));

    public override void Dispose()
    {
        base.Dispose();
        _schema?.Dispose();
    }

    [SkippableFact]
    public async Task Open_ByFourNodesAtOnce_AppliesEachMigrationOnce()
    {
        SkipUnlessAvailable();
        PostgresStorage[] nodes = [.. Enumerable.Range(0, 4).Select(_ => new PostgresStorage(_schema!.ConnectionString))];
        try
        {
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.OpenAsync())));

            Assert.Equal((long)PostgresMigrations.Steps.Length, (long)_schema!.Scalar("SELECT COUNT(*) FROM schema_migrations")!);
            Assert.All(await Task.WhenAll(nodes.Select(n => n.SchemaVersionAsync())), v => Assert.Equal(PostgresMigrations.Latest, v));
        }
        finally
        {
            foreach (PostgresStorage n in nodes) n.Dispose();
        }
    }

    [SkippableFact]
    public async Task FirstCall_WithoutOpen_MigratesFirst()
    {
        SkipUnlessAvailable();

        await Store.AppendAsync([Record("r1", "alice")]);

        Assert.Single(await Store.RecentForAccountAsync("alice", null, 10));
    }

    [SkippableFact]
    public async Task Append_ABatchThatFails_LeavesNothing()
    {
        await Store.OpenAsync();
        _schema!.Scalar("ALTER TABLE account_flags ADD CONSTRAINT no_mallory CHECK (account <> 'mallory')");

        await Assert.ThrowsAsync<PostgresException>(() => Store.AppendAsync(
            [Record("r1", "alice", outcome: "success", device: "phone"), Record("r2", "mallory") with { PasswordChangeRequired = true }]));

        Assert.Equal(0L, (long)_schema.Scalar("SELECT COUNT(*) FROM decisions")!);
        Assert.Empty(await Store.DevicesAsync("alice", null));
    }

    [SkippableFact]
    public async Task Location_ShowsHostPortAndDatabase_NeverThePassword()
    {
        SkipUnlessAvailable();
        var server = new NpgsqlConnectionStringBuilder(_schema!.ConnectionString);

        Assert.Equal($"postgres://{server.Host}:{server.Port}/{server.Database}", Store.Location);
        Assert.DoesNotContain(server.Password ?? "\0", Store.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WhenNothingListens_ThrowsNamingTheHostNotThePassword()
    {
        // Port 1 on loopback: refused at once, no server needed.
        using var storage = new PostgresStorage("postgres://mamori:s3cret-pw@127.0.0.1:1/mamori");

        Exception error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => storage.OpenAsync());
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("postgres://127.0.0.1:1/mamori", storage.Location);
    }
}
