using Mamori.Storage.Postgres;
using Npgsql;

namespace Mamori.Storage.Tests;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Url_GivesHostPortUserPasswordDatabase()
    {
        NpgsqlConnectionStringBuilder b = PostgresConnectionString.Parse("postgres://mamori:p%40ss%3Aword@db.internal:6543/risk");

        Assert.Equal(("db.internal", 6543, "mamori", "p@ss:word", "risk"), (b.Host, b.Port, b.Username, b.Password, b.Database));
    }

    [Fact]
    public void Url_WithoutPort_UsesPostgresDefault_AndReadsKnownParameters()
    {
        NpgsqlConnectionStringBuilder b = PostgresConnectionString.Parse("postgresql://u@10.0.0.7/mamori?sslmode=verify-full&application_name=node-1&search_path=risk");

        Assert.Equal(PostgresConnectionString.DefaultPort, b.Port);
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
        Assert.Equal(("node-1", "risk"), (b.ApplicationName, b.SearchPath));
        Assert.Null(b.Password);
    }

    [Fact]
    public void ConnectionString_IsAcceptedAsNpgsqlReadsIt()
    {
        NpgsqlConnectionStringBuilder b = PostgresConnectionString.Parse("Host=127.0.0.1;Port=45432;Username=mamori;Password=x;Database=mamori");

        Assert.Equal(("127.0.0.1", 45432, "mamori"), (b.Host, b.Port, b.Database));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("postgres://", "not a valid PostgreSQL URL")]
    [InlineData("postgres://u:topsecret@host:99999/db", "not a valid PostgreSQL URL")]
    [InlineData("postgres://u:topsecret@host:5432", "no database")]
    [InlineData("postgres://u:topsecret@host/db/extra", "just the database name")]
    [InlineData("postgres://u:topsecret@host/db?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://u:topsecret@host/db?password=other", "unknown parameter 'password'")]
    [InlineData("mysql://u:topsecret@host/db", "postgres://")]
    [InlineData("Host=h;Password=topsecret;Colour=blue;Database=d", "not a valid Npgsql connection string")]
    [InlineData("Username=u;Password=topsecret;Database=d", "no Host")]
    public void Malformed_IsRefusedWithAReason_NeverEchoingThePassword(string text, string reason)
    {
        Assert.False(PostgresConnectionString.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PostgresConnectionString.Parse(text));
    }

    [Fact]
    public void TooLong_IsRefused()
    {
        Assert.False(PostgresConnectionString.TryParse("postgres://h/" + new string('d', PostgresConnectionString.MaxLength), out _, out string? error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_HidesUserAndPassword()
    {
        Assert.Equal("postgres://h:5432/d", PostgresConnectionString.Describe(PostgresConnectionString.Parse("postgres://user:pw@h/d")));
    }
}
