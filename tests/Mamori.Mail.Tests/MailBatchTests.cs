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
    public void MissingPath_IsAnItemWithAnError()
    {
        MailBatchItem item = Assert.Single(MailBatch.Enumerate([Path.Combine(_dir, "nope.eml")], "*.eml", 1 << 20));

        Assert.Null(item.Raw);
        Assert.Equal("no such file or folder", item.Error);
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
