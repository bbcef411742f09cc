using System.CommandLine;
using Mamori.Storage.Sqlite;

namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori keys</c>: a wrong --data or an unreachable --db is said plainly, never turned into an empty store.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Without the default handler an escaping exception fails the test instead of becoming exit code 1 with a stack trace.
    private static readonly InvocationConfiguration s_noExceptionHandler = new() { EnableDefaultExceptionHandler = false };

    [Theory]
    [InlineData("list")]
    [InlineData("revoke", "key_0123456789ab")]
    public void ListOrRevoke_OnAFolderWithNoDatabase_ExitsTwoAndCreatesNothing(params string[] command)
    {
        string typo = Path.Combine(_dir, "typo-dir");

        int exit = Program.CreateRootCommand().Parse(["keys", .. command, "--data", typo]).Invoke(s_noExceptionHandler);

        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(typo));
    }

    [Fact]
    public void Create_OnAFolderWithNoDatabase_CreatesItAndListThenSeesTheKey()
    {
        string data = Path.Combine(_dir, "first-setup");

        Assert.Equal(0, Program.CreateRootCommand().Parse(["keys", "create", "--scope", "assess", "--data", data]).Invoke(s_noExceptionHandler));

        Assert.True(File.Exists(Path.Combine(data, SqliteStorage.FileName)));
        Assert.Equal(0, Program.CreateRootCommand().Parse(["keys", "list", "--data", data]).Invoke(s_noExceptionHandler));
    }

    [Fact]
    public void List_WithAnUnreachablePostgres_ExitsOneWithoutThrowing()
    {
        int exit = Program.CreateRootCommand().Parse(["keys", "list", "--db", "postgres://mamori:secret@127.0.0.1:1/mamori"]).Invoke(s_noExceptionHandler);

        Assert.Equal(1, exit);
    }
}
