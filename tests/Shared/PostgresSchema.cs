using Mamori.Storage.Postgres;
using Npgsql;

namespace Mamori.Tests;

// One file compiled into each test project that needs it (see their .csproj), not a copy per project.
/// <summary>A fresh schema on the server named by MAMORI_TEST_POSTGRES, dropped afterwards.</summary>
internal sealed class PostgresSchema : IDisposable
{
    public const string Variable = "MAMORI_TEST_POSTGRES";

    public static string? SkipReason => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable))
        ? $"{Variable} is unset (an Npgsql connection string or postgres:// URL; .ci/services.sh starts one on 127.0.0.1:45432)."
        : null;

    private readonly NpgsqlConnectionStringBuilder _server = PostgresConnectionString.Parse(Environment.GetEnvironmentVariable(Variable)!);

    public PostgresSchema()
    {
        Name = "s_" + Guid.NewGuid().ToString("N");
        Execute(_server.ConnectionString, $"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { SearchPath = Name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public object? Scalar(string sql, params object[] parameters)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        foreach (object p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        return cmd.ExecuteScalar();
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute(_server.ConnectionString, $"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
