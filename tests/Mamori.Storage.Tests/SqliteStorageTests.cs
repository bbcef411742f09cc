using Mamori.Storage;
using Mamori.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mamori.Storage.Tests;

/// <summary>The storage contract on SQLite, plus what only the embedded file does (WAL, a bad folder).</summary>
public sealed class SqliteStorageTests : StorageContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mamori-storage-").FullName;

    protected override IMamoriStorage Create() => new SqliteStorage(_folder);

    protected override (int Latest, int Steps) Migrations => (SqliteMigrations.Latest, SqliteMigrations.Steps.Length);

    private string DatabasePath => Path.Combine(_folder, SqliteStorage.FileName);

    protected override Task<object?> SqlAsync(string sql)
    {
        using var c = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Task.FromResult(cmd.ExecuteScalar());
    }

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Open_UsesWalMode()
    {
        await Store.OpenAsync();

        Assert.Equal("wal", Convert.ToString(await SqlAsync("PRAGMA journal_mode"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Open_UnderARegularFile_Throws()
    {
        string file = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        using var broken = new SqliteStorage(Path.Combine(file, "data"));
        await Assert.ThrowsAnyAsync<IOException>(() => broken.OpenAsync());
    }
}
