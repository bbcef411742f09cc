namespace Mamori.Cli.Tests.Commands;

/// <summary><c>mamori mail scan</c>: input that was not read must never pass for a clean run.</summary>
public sealed class MailScanCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-mail-scan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteMessage(string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "From: a@example.org\nTo: b@example.org\nSubject: hello\n\nhello\n");
        return path;
    }

    [Fact]
    public void OneGoodFile_ExitsZero()
    {
        Assert.Equal(0, Program.CreateRootCommand().Parse(["mail", "scan", WriteMessage("ok.eml")]).Invoke());
    }

    [Fact]
    public void OneOfTwoPathsMissing_ExitsTwo()
    {
        string good = WriteMessage("ok.eml");

        int exit = Program.CreateRootCommand().Parse(["mail", "scan", good, Path.Combine(_dir, "missing.eml")]).Invoke();

        Assert.Equal(2, exit);
    }

    [Fact]
    public void MaildirNewFolder_IsScannedNotReportedEmpty()
    {
        string maildir = Path.Combine(_dir, "Maildir");
        foreach (string sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(maildir, sub));
        File.WriteAllText(Path.Combine(maildir, "new", "1577836800.M1P2.host"), "From: a@example.org\nSubject: hi\n\nhi\n");
        File.WriteAllText(Path.Combine(_dir, "folder-with-no-mail.txt"), "x");

        Assert.Equal(0, Program.CreateRootCommand().Parse(["mail", "scan", Path.Combine(maildir, "new"), "--json"]).Invoke());
        // An empty cur/ is an inbox with nothing read yet, not an error (a scan from cron must not fail on it)...
        Assert.Equal(0, Program.CreateRootCommand().Parse(["mail", "scan", Path.Combine(maildir, "cur")]).Invoke());
        // ...while a plain folder with no matching file is a wrong path or pattern.
        Assert.Equal(2, Program.CreateRootCommand().Parse(["mail", "scan", _dir, "--pattern", "*.eml"]).Invoke());
    }
}
