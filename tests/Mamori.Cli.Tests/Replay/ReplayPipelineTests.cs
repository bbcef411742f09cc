using System.Globalization;
using System.Net;
using Mamori.Cli.Replay;
using Mamori.Cli.Replay.Readers;
using Mamori.Events;
using Mamori.Policy;
using Mamori.State;

namespace Mamori.Cli.Tests.Replay;

/// <summary>Replay's threads: parsing and writing beside the engine must change nothing but the speed.</summary>
public sealed class ReplayPipelineTests
{
    private static readonly byte[] s_pepper = "pipeline-test-pepper"u8.ToArray();

    /// <summary>Serves made-up rows (telling <c>onRow</c> each one's index as it goes), then optionally throws.</summary>
    private sealed class ListReader(IReadOnlyList<ReadResult> rows, Exception? thenThrow = null, Action<int>? onRow = null) : ILoginEventReader
    {
        private int _next;
        public bool TryRead(out ReadResult result)
        {
            if (_next < rows.Count) { onRow?.Invoke(_next); result = rows[_next++]; return true; }
            if (thenThrow is not null) throw thenThrow;
            result = default;
            return false;
        }
        public void Dispose() { }
    }

    /// <summary>A decisions file on a disk that fills up after a few rows.</summary>
    private sealed class FullDiskWriter(int rowsBeforeFailing) : StringWriter
    {
        private int _rows;
        public override void Write(char[] buffer, int index, int count)
        {
            if (++_rows > rowsBeforeFailing) throw new IOException("No space left on device");
            base.Write(buffer, index, count);
        }
    }

    /// <summary>Spans several of the pipeline's batches: many users at home, and one password sprayed over them; every <paramref name="badEvery"/>th row is bad.</summary>
    private static List<ReadResult> Rows(int count, int badEvery = 97)
    {
        var rows = new List<ReadResult>(count);
        var t = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            int line = i + 1;
            if (line % badEvery == 0) { rows.Add(ReadResult.Bad(line, "bad row")); continue; }
            bool spray = i >= count * 3 / 4;
            var attempt = new LoginAttempt
            {
                Timestamp = t.AddSeconds(i * 30), Account = string.Create(CultureInfo.InvariantCulture, $"user{i % 400}"),
                Ip = spray ? new IPAddress([185, 220, (byte)(i % 250), 7]) : new IPAddress([126, (byte)(i % 400 / 200), (byte)(i % 200), 10]),
                Secret = SecretFingerprint.Compute(s_pepper, spray ? "Summer2020!" : string.Create(CultureInfo.InvariantCulture, $"secret-{i % 400}")),
                Asn = spray ? 16276 : 17676, Country = spray ? "FR" : "JP", UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
            };
            rows.Add(new ReadResult(line, new LoginEvent(attempt, spray ? LoginOutcome.WrongSecret : LoginOutcome.Success), null, null));
        }
        return rows;
    }

    /// <summary>What the engine says, event by event, without any pipeline: the reference the replay must match.</summary>
    private static string Expected(IReadOnlyList<ReadResult> rows)
    {
        var options = new MamoriOptions();
        var engine = new LoginAssessor(options, new InMemorySignalStore(options)) { Terse = true };
        var text = new System.Text.StringBuilder("line,decision,score,reasons\n");
        var line = new char[ReplayRunner.MaxDecisionChars];
        long n = 0;
        foreach (ReadResult row in rows.Where(r => r.IsValid))
        {
            int length = ReplayRunner.FormatDecision(line, ++n, engine.AssessEvent(row.Event));
            text.Append(line, 0, length);
        }
        return text.ToString();
    }

    [Fact]
    public void LogOfSeveralBatches_GivesTheDecisionsOfTheEngineAlone_InFileOrder()
    {
        List<ReadResult> rows = Rows(3 * ReplayPipeline.BatchSize + 123);
        var decisions = new StringWriter();
        ReplayResult result = ReplayRunner.Run(new ListReader(rows), decisions, new MamoriOptions(), strict: false);

        Assert.Equal(rows.Count(r => r.IsValid), result.Events);
        Assert.Equal(rows.Count(r => !r.IsValid), result.BadRows);
        Assert.True(result.Challenged + result.Denied > 0, "the spray should be intercepted");
        Assert.Equal(Expected(rows), decisions.ToString());
    }

    [Fact]
    public void StrictRun_StopsAtTheFirstBadRowOfALaterBatch()
    {
        int firstBad = 2 * ReplayPipeline.BatchSize + 5;
        List<ReadResult> rows = Rows(4 * ReplayPipeline.BatchSize, badEvery: firstBad);
        var decisions = new StringWriter();
        ReplayResult result = ReplayRunner.Run(new ListReader(rows), decisions, new MamoriOptions(), strict: true);

        Assert.True(result.Aborted);
        Assert.Equal(firstBad - 1, result.Events);
        Assert.Equal(1, result.BadRows);
        Assert.Equal(1 + firstBad - 1, decisions.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Cancelling_StopsTheReplayAtTheNextBatch_AndSaysItWasInterrupted()
    {
        List<ReadResult> rows = Rows(20 * ReplayPipeline.BatchSize);
        using var cancel = new CancellationTokenSource();
        // Ctrl-C while the third batch is being read: the engine cannot have taken more than the first two.
        var reader = new ListReader(rows, onRow: n => { if (n == 2 * ReplayPipeline.BatchSize + ReplayPipeline.BatchSize / 2) cancel.Cancel(); });

        ReplayResult result = ReplayRunner.Run(reader, new StringWriter(), new MamoriOptions(), strict: false, cancel: cancel.Token);

        Assert.True(result.Interrupted);
        Assert.InRange(result.Events, 0, 2 * ReplayPipeline.BatchSize);
    }

    [Fact]
    public void ReaderFailure_IsRethrownToTheCaller()
    {
        List<ReadResult> rows = Rows(ReplayPipeline.BatchSize + 10);
        var reader = new ListReader(rows, new InvalidDataException("gzip stream is corrupt"));
        var ex = Assert.Throws<InvalidDataException>(() => ReplayRunner.Run(reader, new StringWriter(), new MamoriOptions(), strict: false));
        Assert.Equal("gzip stream is corrupt", ex.Message);
    }

    [Fact]
    public void WriterFailure_IsRethrownToTheCaller_InsteadOfHanging()
    {
        List<ReadResult> rows = Rows(20 * ReplayPipeline.BatchSize);
        var ex = Assert.Throws<IOException>(() => ReplayRunner.Run(new ListReader(rows), new FullDiskWriter(rowsBeforeFailing: 5), new MamoriOptions(), strict: false));
        Assert.Equal("No space left on device", ex.Message);
    }

    [Fact]
    public void DecisionRow_IsFormattedInPlace_AsTheColumnsPromise()
    {
        var decision = new Decision { Verdict = Verdict.Challenge, PolicyVerdict = Verdict.Challenge, Score = 0.76, Reasons = [new Reason(ReasonCode.SprayedSecret, "")] };
        var outcome = new Decision { Verdict = Verdict.Allow, PolicyVerdict = Verdict.Allow, Score = 0.123456, Reasons = [new Reason(ReasonCode.SprayedSecret, ""), new Reason(ReasonCode.SharedAddress, "")] };
        var line = new char[ReplayRunner.MaxDecisionChars];
        int n = ReplayRunner.FormatDecision(line, 1234567, new EventAssessment(decision, outcome));
        Assert.Equal("1234567,challenge,0.76,sprayed_secret;shared_address\n", new string(line, 0, n));
    }
}
