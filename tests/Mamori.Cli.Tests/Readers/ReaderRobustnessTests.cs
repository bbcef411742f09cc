using System.Text;
using Mamori.Cli.Replay.Readers;
using static Mamori.Cli.Tests.Readers.ReaderTestHelpers;

namespace Mamori.Cli.Tests.Readers;

public sealed class ReaderRobustnessTests
{
    [Fact]
    public void RandomGarbage_NeverThrows_AndEveryNonBlankLineIsAccountedFor()
    {
        var random = new Random(42);
        string good = """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success"}""";
        var lines = new List<string>();
        for (int i = 0; i < 2_000; i++)
        {
            if (i % 10 == 0) { lines.Add(good); continue; }
            // Mutate a good line: cut it, flip characters, or insert random bytes.
            char[] chars = good.ToCharArray();
            for (int k = 0; k < 1 + random.Next(4); k++) chars[random.Next(chars.Length)] = (char)random.Next(1, 128);
            string mutated = new string(chars).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
            lines.Add(random.Next(3) == 0 ? mutated[..random.Next(mutated.Length)] : mutated);
        }
        List<ReadResult> results = ReadAll(string.Join("\n", lines), LoginLogFormat.Jsonl);
        int nonBlank = lines.Count(l => !string.IsNullOrWhiteSpace(l));
        Assert.Equal(nonBlank, results.Count);
        Assert.True(results.Count(r => r.IsValid) >= 200);
        Assert.All(results, r => Assert.True(r.IsValid || !string.IsNullOrEmpty(r.Error)));
        Assert.Equal(results.Select(r => r.Line).Distinct().Count(), results.Count);
    }

    [Fact]
    public void CsvQuotedNewline_StaysInOneRow_AndLaterRowsKeepTheirLineNumbers()
    {
        string csv = "ts,account,ip,outcome,user_agent\n" +
                     "2020-09-14T23:56:45Z,a,1.2.3.4,success,\"two\nlines\"\n" +
                     "2020-09-14T23:56:46Z,b,1.2.3.5,success,ua\n";
        List<ReadResult> results = ReadAll(csv, LoginLogFormat.Csv);
        Assert.Equal(2, results.Count);
        Assert.Equal("two\nlines", results[0].Event.Attempt.UserAgent);
        Assert.Equal([2, 4], results.Select(r => r.Line));
    }

    [Fact]
    public void ReadingFromANonSeekablePipe_Works()
    {
        string good = """{"ts":"2020-09-14T23:56:45Z","account":"a","ip":"1.2.3.4","outcome":"success"}""" + "\n";
        byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(good, 50_000)));
        using var pipe = new TrickleStream(bytes);
        using ILoginEventReader reader = LoginEventReaders.Open(pipe, LoginLogFormat.Jsonl);
        Assert.Equal(50_000, reader.ReadAll().Count(r => r.IsValid));
    }

    /// <summary>A forward-only stream that returns odd-sized chunks, as a pipe does.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 7_919), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
