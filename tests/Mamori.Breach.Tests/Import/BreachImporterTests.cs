using System.Text;
using Mamori.Breach.Import;
using Mamori.Breach.Index;
using Mamori.Breach.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mamori.Breach.Tests.Import;

public sealed class BreachImporterTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2020, 9, 8, 0, 0, 0, TimeSpan.Zero));

    private string Data => _temp.Combine("data");
    private string Sha1Index => BreachPaths.IndexFile(Data, PwnedHashMode.Sha1);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void UnsortedCorpusWithBadLines_LoadsGoodLinesAndReportsBadOnesByLineNumber()
    {
        TestCorpus corpus = TestCorpus.Create();
        string file = _temp.Combine("corpus.txt");
        List<(long Line, string Reason)> expectedRejects = corpus.Write(file, PwnedHashMode.Sha1);

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);

        Assert.Equal(PwnedHashMode.Sha1, result.Mode);
        Assert.Equal(corpus.Sha1.Count + 1, result.LinesLoaded);   // + the duplicate line
        Assert.Equal(1, result.DuplicatesMerged);
        Assert.Equal(corpus.Sha1.Count, result.HashesStored);
        Assert.Equal(TestCorpus.MalformedLines.Length, result.LinesRejected);
        Assert.Equal(result.LinesLoaded + result.LinesRejected, result.LinesRead);
        Assert.Equal(expectedRejects, result.Rejected.Select(r => (r.LineNumber, r.Reason)).ToList());
        Assert.Equal(Sha1Index, result.IndexPath);
        Assert.Equal(new FileInfo(Sha1Index).Length, result.IndexBytes);
        Assert.False(Directory.Exists(BreachPaths.WorkFolder(Data)));
        IndexAssert.AllRangesMatch(corpus, PwnedHashMode.Sha1, Sha1Index);
    }

    [Fact]
    public void RejectedLinesFile_ListsEveryBadLineBeyondTheReportedFirstThousand()
    {
        string file = _temp.Combine("corpus.txt");
        string good = TestCorpus.Sha1Hex("password");
        File.WriteAllText(file, string.Concat(Enumerable.Repeat("oops\n", 1500)) + good + ":1\n");
        string rejects = _temp.Combine("rejects.txt");

        BreachImportResult result = BreachImporter.Import(file, Data,
            new BreachImportOptions { RejectedLinesPath = rejects, AcceptBadLines = true }, time: _time);

        Assert.Equal(1500, result.LinesRejected);
        Assert.Equal(BreachImportResult.MaxRejectedReported, result.Rejected.Count);
        string[] lines = File.ReadAllLines(rejects);
        Assert.Equal(1500, lines.Length);
        Assert.Equal("line 1500: no ':' between hash and count", lines[^1]);
    }

    [Fact]
    public void NtlmCorpus_IsDetectedAndStoredInItsOwnIndex()
    {
        TestCorpus corpus = TestCorpus.Create(500);
        string file = _temp.Combine("ntlm.txt");
        corpus.Write(file, PwnedHashMode.Ntlm);

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);

        Assert.Equal(PwnedHashMode.Ntlm, result.Mode);
        Assert.Equal(BreachPaths.IndexFile(Data, PwnedHashMode.Ntlm), result.IndexPath);
        Assert.False(File.Exists(Sha1Index));
        IndexAssert.AllRangesMatch(corpus, PwnedHashMode.Ntlm, result.IndexPath);
    }

    [Fact]
    public void ManySortedRuns_ProduceTheSameIndexBytesAsOneRun()
    {
        TestCorpus corpus = TestCorpus.Create(2000);
        string file = _temp.Combine("corpus.txt");
        corpus.Write(file, PwnedHashMode.Sha1);
        BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);
        byte[] single = File.ReadAllBytes(Sha1Index);

        string otherData = _temp.Combine("data2");
        BreachImportResult result = BreachImporter.Import(file, otherData,
            new BreachImportOptions { RecordsPerRunOverride = 97, ReadChunkBytes = 4096 }, time: _time);

        Assert.True(result.RunsSpilled > 20, $"expected many runs, got {result.RunsSpilled}");
        Assert.Equal(single, File.ReadAllBytes(result.IndexPath));
    }

    [Fact]
    public void SmallIndex_CostsUnder21BytesPerHashBesideTheBucketTable()
    {
        TestCorpus corpus = TestCorpus.Create();
        string file = _temp.Combine("corpus.txt");
        corpus.Write(file, PwnedHashMode.Sha1);

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);

        double perHash = (double)(result.IndexBytes - IndexFormat.DataStart) / result.HashesStored;
        Assert.InRange(perHash, 18, 21);
    }

    [Fact]
    public void CorpusWithNoValidLine_FailsAndLeavesTheExistingIndexUnchanged()
    {
        TestCorpus corpus = TestCorpus.Create(200);
        string good = _temp.Combine("good.txt");
        corpus.Write(good, PwnedHashMode.Sha1);
        BreachImporter.Import(good, Data, new BreachImportOptions(), time: _time);
        byte[] before = File.ReadAllBytes(Sha1Index);
        string bad = _temp.Combine("bad.txt");
        File.WriteAllText(bad, "email,password\nalice@example.com,hunter2\n");

        var error = Assert.Throws<BreachImportException>(() => BreachImporter.Import(bad, Data, new BreachImportOptions(), time: _time));

        Assert.Contains("No line of", error.Message);
        Assert.Equal([1, 2], error.Rejected.Select(r => r.LineNumber));
        Assert.Equal(before, File.ReadAllBytes(Sha1Index));
        Assert.False(Directory.Exists(BreachPaths.WorkFolder(Data)));
    }

    [Fact]
    public void MostlyBadCorpus_IsRefusedWithTheFirstBadLineAndLeavesTheExistingIndexUnchanged()
    {
        TestCorpus corpus = TestCorpus.Create(200);
        string good = _temp.Combine("good.txt");
        corpus.Write(good, PwnedHashMode.Sha1);
        BreachImporter.Import(good, Data, new BreachImportOptions(), time: _time);
        byte[] before = File.ReadAllBytes(Sha1Index);
        string mostlyBad = _temp.Combine("mostlybad.txt");
        File.WriteAllText(mostlyBad, TestCorpus.Sha1Hex("password") + ":1\n" + string.Concat(Enumerable.Repeat("alice@example.com,hunter2\n", 400)));

        var error = Assert.Throws<BreachImportException>(() => BreachImporter.Import(mostlyBad, Data, new BreachImportOptions(), time: _time));

        Assert.True(error.CorpusRefused);
        Assert.StartsWith("400 of 401 lines of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the first bad one is line 2: no ':' between hash and count", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Sha1Index));
        Assert.False(Directory.Exists(BreachPaths.WorkFolder(Data)));
    }

    [Fact]
    public void MostlyBadCorpus_WithAcceptBadLines_ReplacesTheIndex()
    {
        string mostlyBad = _temp.Combine("mostlybad.txt");
        string hash = TestCorpus.Sha1Hex("password");
        File.WriteAllText(mostlyBad, hash + ":1\noops\noops\n");

        BreachImportResult result = BreachImporter.Import(mostlyBad, Data, new BreachImportOptions { AcceptBadLines = true }, time: _time);

        Assert.Equal(2, result.LinesRejected);
        Assert.Equal($"{hash[5..]}:1", IndexAssert.Range(Sha1Index, hash[..5]));
    }

    [Fact]
    public void SmallCorpus_ReportsTheIndexWrittenInFullAtTheEnd()
    {
        TestCorpus corpus = TestCorpus.Create(50);
        string file = _temp.Combine("corpus.txt");
        corpus.Write(file, PwnedHashMode.Sha1);
        var merging = new List<BreachImportProgress>();

        BreachImporter.Import(file, Data, new BreachImportOptions(), new CallbackProgress(p =>
        {
            if (p.Phase == BreachImportPhase.Merging) merging.Add(p);
        }), _time);

        Assert.NotEmpty(merging);
        Assert.Equal(merging[^1].Total, merging[^1].Done);
    }

    [Fact]
    public void MissingCorpusFile_FailsWithItsName()
    {
        var error = Assert.Throws<BreachImportException>(() =>
            BreachImporter.Import(_temp.Combine("nope.txt"), Data, new BreachImportOptions(), time: _time));

        Assert.Contains("nope.txt", error.Message);
        Assert.False(File.Exists(Sha1Index));
    }

    [Fact]
    public void CancelledImport_LeavesTheExistingIndexUnchangedAndNoWorkFiles()
    {
        TestCorpus corpus = TestCorpus.Create(300);
        string first = _temp.Combine("first.txt");
        corpus.Write(first, PwnedHashMode.Sha1);
        BreachImporter.Import(first, Data, new BreachImportOptions(), time: _time);
        byte[] before = File.ReadAllBytes(Sha1Index);

        TestCorpus bigger = TestCorpus.Create(3000);
        string second = _temp.Combine("second.txt");
        bigger.Write(second, PwnedHashMode.Sha1);
        using var cts = new CancellationTokenSource();
        var cancelAfterRunsSpilled = new CallbackProgress(p =>
        {
            if (p.Phase == BreachImportPhase.Reading && p.Done > p.Total / 2) cts.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => BreachImporter.Import(second, Data,
            new BreachImportOptions { RecordsPerRunOverride = 100, ReadChunkBytes = 4096 }, cancelAfterRunsSpilled, _time, cts.Token));

        Assert.Equal(before, File.ReadAllBytes(Sha1Index));
        Assert.False(Directory.Exists(BreachPaths.WorkFolder(Data)));
    }

    [Fact]
    public void WorkFilesLeftByACrashedImport_AreDiscardedAndTheImportStartsOver()
    {
        // What a killed import leaves: spilled runs and a half-written index in the work folder.
        string work = BreachPaths.WorkFolder(Data);
        Directory.CreateDirectory(work);
        File.WriteAllBytes(Path.Combine(work, "run-00000.bin"), new byte[24 * 10]);
        File.WriteAllBytes(Path.Combine(work, "index.tmp"), new byte[1000]);
        TestCorpus corpus = TestCorpus.Create(500);
        string file = _temp.Combine("corpus.txt");
        corpus.Write(file, PwnedHashMode.Sha1);

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);

        Assert.Equal(corpus.Sha1.Count, result.HashesStored);
        Assert.False(Directory.Exists(work));
        IndexAssert.AllRangesMatch(corpus, PwnedHashMode.Sha1, Sha1Index);
    }

    [Fact]
    public void ImportWhileAnotherHoldsTheLock_IsRefusedAndChangesNothing()
    {
        TestCorpus corpus = TestCorpus.Create(100);
        string file = _temp.Combine("corpus.txt");
        corpus.Write(file, PwnedHashMode.Sha1);
        Directory.CreateDirectory(BreachPaths.Folder(Data));
        using var held = new FileStream(Path.Combine(BreachPaths.Folder(Data), BreachPaths.LockFileName),
            FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.Throws<BreachImportException>(() => BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time));

        Assert.Contains("Another import is running", error.Message);
        Assert.False(File.Exists(Sha1Index));
    }

    [Fact]
    public void LineWithoutBreaks_IsRejectedOnceAndTheRestStillLoads()
    {
        string file = _temp.Combine("corpus.txt");
        string hash = TestCorpus.Sha1Hex("password");
        File.WriteAllText(file, new string('A', 100_000) + "\n" + hash + ":42\n");

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions { ReadChunkBytes = 1024 }, time: _time);

        Assert.Equal(2, result.LinesRead);
        Assert.Equal([new RejectedLine(1, CorpusLineParser.LineTooLong)], result.Rejected);
        Assert.Equal($"{hash[5..]}:42", IndexAssert.Range(Sha1Index, hash[..5]));
    }

    [Fact]
    public void ByteOrderMarkAndFinalLineWithoutBreak_AreHandled()
    {
        string file = _temp.Combine("corpus.txt");
        string a = TestCorpus.Sha1Hex("a"), b = TestCorpus.Sha1Hex("b");
        File.WriteAllText(file, $"{a}:1\r\n{b}:2", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time);

        Assert.Equal(2, result.LinesLoaded);
        Assert.Equal(0, result.LinesRejected);
        Assert.Equal($"{b[5..]}:2", IndexAssert.Range(Sha1Index, b[..5]));
    }

    [Fact]
    public void ExplicitNtlmMode_RejectsSha1Lines()
    {
        string file = _temp.Combine("corpus.txt");
        File.WriteAllText(file, $"{TestCorpus.Sha1Hex("a")}:1\n{TestCorpus.NtlmHex("a")}:2\n");

        BreachImportResult result = BreachImporter.Import(file, Data, new BreachImportOptions { Mode = PwnedHashMode.Ntlm }, time: _time);

        Assert.Equal(PwnedHashMode.Ntlm, result.Mode);
        Assert.Equal([new RejectedLine(1, "hash has 40 characters; a NTLM hash has 32")], result.Rejected);
    }

    [Fact]
    public void MoreHashesUnderOnePrefixThanTheBound_IsRefusedAndChangesNothing()
    {
        string file = _temp.Combine("skewed.txt");
        using (var writer = new StreamWriter(file))
        {
            for (int i = 0; i <= IndexFormat.MaxEntriesPerBucket; i++) writer.Write($"00000{i:X35}:1\n");
        }

        var error = Assert.Throws<BreachImportException>(() => BreachImporter.Import(file, Data, new BreachImportOptions(), time: _time));

        Assert.Contains("share the prefix 00000", error.Message);
        Assert.False(File.Exists(Sha1Index));
    }

    [Fact]
    public void InvalidOptions_AreAllReportedAtOnce()
    {
        var options = new BreachImportOptions { MemoryLimitMiB = 1, RecordsPerRunOverride = 0, ReadChunkBytes = 10 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(
            "MemoryLimitMiB must be between 16 and 65536 (was 1). RecordsPerRunOverride must be at least 1. ReadChunkBytes must be at least 512.",
            error.Message);
    }

    private sealed class CallbackProgress(Action<BreachImportProgress> callback) : IProgress<BreachImportProgress>
    {
        public void Report(BreachImportProgress value) => callback(value);
    }
}
