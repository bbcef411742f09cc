using System.Text;

namespace Mamori.Mail.Tests;

public sealed class MailBatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mamori-mail-batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(16 * 1024 * 1024)]   // read whole and split in memory
    [InlineData(16)]                 // streamed line by line (large mboxes)
    public void Mbox_IsSplitIntoItsMessagesWithoutEnvelopeLines(int wholeFileLimit)
    {
        string mbox = Path.Combine(_dir, "inbox.mbox");
        File.WriteAllText(mbox,
            "From a@example.org Mon Dec  2 10:00:00 2019\nFrom: a@example.org\nSubject: one\n\nfirst\n\n" +
            "From b@example.org Mon Dec  2 10:01:00 2019\nFrom: b@example.org\nSubject: two\n\nsecond\n>From the archive\n\n" +
            "From c@example.org Mon Dec  2 10:02:00 2019\nFrom: c@example.org\nSubject: three\n\nthird");

        List<MailBatchItem> items = [.. MailBatch.Enumerate([mbox], "*.eml", 1 << 20, wholeFileLimit)];

        Assert.Equal([$"{mbox}#1", $"{mbox}#2", $"{mbox}#3"], items.Select(i => i.Label));
        Assert.StartsWith("From: a@example.org", Encoding.ASCII.GetString(items[0].Raw!), StringComparison.Ordinal);
        Assert.Contains(">From the archive", Encoding.ASCII.GetString(items[1].Raw!), StringComparison.Ordinal);
        Assert.EndsWith("third", Encoding.ASCII.GetString(items[2].Raw!), StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_YieldsMatchingFilesInOrderAndSkipsOthers()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "b.eml"), "Subject: b\n\nb\n");
        File.WriteAllText(Path.Combine(_dir, "sub", "a.eml"), "Subject: a\n\na\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not mail");

        List<MailBatchItem> items = [.. MailBatch.Enumerate([_dir], "*.eml", 1 << 20)];

        Assert.Equal([Path.Combine(_dir, "b.eml"), Path.Combine(_dir, "sub", "a.eml")], items.Select(i => i.Label));
    }

    [Fact]
    public void MissingPath_IsAnItemWithAnErrorNamingIt()
    {
        string missing = Path.Combine(_dir, "nope.eml");

        MailBatchItem item = Assert.Single(MailBatch.Enumerate([missing], "*.eml", 1 << 20));

        Assert.Null(item.Raw);
        Assert.Equal($"no such file or directory: {missing}", item.Error);
    }

    [Fact]
    public void FolderWithNoMatchingFile_IsAnItemSayingSoNotNoSuchFile()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not mail");

        MailBatchItem item = Assert.Single(MailBatch.Enumerate([_dir], "*.eml", 1 << 20));

        Assert.Null(item.Raw);
        Assert.Equal($"no files matching *.eml in {_dir}", item.Error);
    }

    [Fact]
    public void MaildirNewFolder_WithTheDefaultPattern_ReadsItsFilesWithoutExtension()
    {
        string maildir = Path.Combine(_dir, "Maildir");
        foreach (string sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(maildir, sub));
        string delivered = Path.Combine(maildir, "new", "1577836800.M1P2.host");
        string seen = Path.Combine(maildir, "cur", "1577836700.M1P1.host:2,S");
        File.WriteAllText(delivered, "Subject: new\n\nnew\n");
        File.WriteAllText(seen, "Subject: seen\n\nseen\n");
        File.WriteAllText(Path.Combine(maildir, "tmp", "1577836900.M1P3.host"), "Subject: half-deliv");   // still being written
        File.WriteAllText(Path.Combine(maildir, "dovecot-uidlist"), "3 V1 N4");                          // index, not mail

        Assert.Equal([delivered], MailBatch.Enumerate([Path.Combine(maildir, "new")], null, 1 << 20).Select(i => i.Label));
        Assert.Equal([seen, delivered], MailBatch.Enumerate([maildir], null, 1 << 20).Select(i => i.Label));
        // An explicit pattern is obeyed, Maildir or not.
        Assert.Equal($"no files matching *.eml in {Path.Combine(maildir, "new")}",
            Assert.Single(MailBatch.Enumerate([Path.Combine(maildir, "new")], "*.eml", 1 << 20)).Error);
    }

    [Fact]
    public void EmptyMaildir_IsNoMailNotAnError()
    {
        string maildir = Path.Combine(_dir, "Empty");
        foreach (string sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(maildir, sub));

        Assert.Empty(MailBatch.Enumerate([Path.Combine(maildir, "new")], null, 1 << 20));
        Assert.Empty(MailBatch.Enumerate([maildir], null, 1 << 20));
    }

    [Fact]
    public void LargeFile_IsReadOnlyUpToTheLimitPlusOne()
    {
        string file = Path.Combine(_dir, "big.eml");
        File.WriteAllBytes(file, new byte[10_000]);

        MailBatchItem item = Assert.Single(MailBatch.Enumerate([file], "*.eml", 4096));

        Assert.Equal(4097, item.Raw!.Length);
    }
}
