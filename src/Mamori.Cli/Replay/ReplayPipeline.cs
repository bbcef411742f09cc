using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Mamori.Cli.Replay.Readers;
using Mamori.Signals;

namespace Mamori.Cli.Replay;

/// <summary>What replay does with each row once the engine is done with it: the tallies, the timeline, the triage.</summary>
/// <remarks>Called on the pipeline's own thread, in file order, one row at a time.</remarks>
internal interface IReplaySink
{
    /// <summary>A row that did not parse.</summary>
    void Bad(in ReadResult row);

    /// <summary>A parsed row, its signal keys and the engine's decision on it.</summary>
    void Assessed(in ReadResult row, in SignalKeys keys, in EventAssessment assessment);
}

/// <summary>
/// Replay on two threads: the caller's runs the engine, one event at a time in file order; one more thread parses
/// the log, and keeps the books on and writes the decisions of what the engine has done. So the decisions are byte
/// for byte those of a single-threaded replay.
/// </summary>
/// <remarks>
/// <para>Two threads because the budget is two cores: the engine keeps one to itself and does nothing else, since it
/// is the bound; the other thread spends its time where it is needed — finishing the batches the engine handed back
/// first (tallies, triage and decisions: done work that must not pile up), then parsing the next batch while there is
/// room for one, else sleeping until the engine takes or hands back a batch. A third thread (separate reader and
/// writer) only added switches between them on the second core.</para>
/// <para>Batches of <see cref="BatchSize"/> rows travel through bounded queues (<see cref="QueuedBatches"/> parsed
/// batches ahead), so memory stays bounded whatever the log's size and a fast parser waits for a slow engine.
/// Batches are recycled. A failure on the other thread (an unreadable file, a full disk) stops both and is rethrown
/// on the caller's thread, from <see cref="TryTake"/>, <see cref="Write"/> or <see cref="Complete"/>.</para>
/// </remarks>
internal sealed class ReplayPipeline : IDisposable
{
    /// <summary>Rows or decisions per hand-over: large enough that queue traffic is noise, small enough to start at once.</summary>
    public const int BatchSize = 1024;

    /// <summary>Parsed batches waiting for the engine; with <see cref="BatchSize"/>, at most ~8k events ahead.</summary>
    public const int QueuedBatches = 8;

    private readonly ILoginEventReader _reader;
    private readonly TextWriter? _decisions;
    private readonly IReplaySink _sink;
    private readonly Action? _betweenBatches;
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<RowBatch> _read = new(QueuedBatches);
    private readonly ConcurrentQueue<RowBatch> _done = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentQueue<RowBatch> _freeRows = new();
    private readonly Thread _thread;
    private readonly char[] _line = new char[ReplayRunner.MaxDecisionChars];
    private ExceptionDispatchInfo? _fault;
    private long _written;
    private volatile bool _engineDone;
    private bool _completed;

    /// <summary>Starts reading <paramref name="reader"/> at once; rows the engine is done with go to
    /// <paramref name="sink"/> and, when given, their decisions to <paramref name="decisions"/>.</summary>
    /// <param name="betweenBatches">Called on the other thread after each parsed batch: work that spares the engine's
    /// thread (the store's next chunks of memory) and must be safe beside it.</param>
    public ReplayPipeline(ILoginEventReader reader, TextWriter? decisions, IReplaySink sink, Action? betweenBatches = null)
    {
        _reader = reader;
        _decisions = decisions;
        _sink = sink;
        _betweenBatches = betweenBatches;
        _thread = new Thread(Run) { IsBackground = true, Name = "replay-io" };
        _thread.Start();
    }

    /// <summary>Rows in file order, with each valid row's signal keys (computed on the parsing thread) and, once the
    /// engine has seen them, its decisions.</summary>
    public sealed class RowBatch
    {
        public ReadResult[] Rows { get; } = new ReadResult[BatchSize];
        public SignalKeys[] Keys { get; } = new SignalKeys[BatchSize];
        /// <summary>The engine's decision on each valid row of <see cref="Rows"/> (same index).</summary>
        public EventAssessment[] Assessments { get; } = new EventAssessment[BatchSize];
        public int Count { get; set; }
        /// <summary>Rows the engine has been through: <see cref="Count"/>, or fewer when strict mode stopped at a bad row.</summary>
        public int Processed { get; set; }
    }

    /// <summary>The next batch of rows in file order; false at the end of the log.</summary>
    /// <exception cref="Exception">Whatever the reader threw, rethrown here.</exception>
    public bool TryTake(out RowBatch batch)
    {
        try
        {
            if (_read.TryTake(out RowBatch? taken, Timeout.Infinite, _stop.Token))
            {
                _wake.Release();   // room for one more parsed batch
                batch = taken;
                return true;
            }
        }
        catch (OperationCanceledException) when (_fault is not null)
        {
        }
        _fault?.Throw();
        batch = null!;
        return false;
    }

    /// <summary>
    /// Hands a batch from <see cref="TryTake"/> back once the engine has been through its first
    /// <see cref="RowBatch.Processed"/> rows (their decisions in <see cref="RowBatch.Assessments"/>): the other thread
    /// passes them to the sink and the decisions file, in order, then reuses the batch.
    /// </summary>
    public void Done(RowBatch batch)
    {
        _fault?.Throw();
        _done.Enqueue(batch);
        _wake.Release();
    }

    /// <summary>Waits for the other thread to finish what was handed back; rethrows its failure.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _engineDone = true;
        _wake.Release();
        _thread.Join();
        _fault?.Throw();
    }

    /// <summary>Stops the other thread without waiting for the decisions to be written (after a failure on the caller's side).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _stop.Cancel();
            _thread.Join();
        }
        _stop.Dispose();
        _read.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        bool reading = true;
        try
        {
            while (true)
            {
                _stop.Token.ThrowIfCancellationRequested();
                if (_done.TryDequeue(out RowBatch? done))
                {
                    Finish(done);
                    continue;   // done work first: its decisions are waiting for the disk
                }
                if (_engineDone)
                {
                    // The engine is finished (the log's end, or strict mode stopped at a bad row): nothing more to parse.
                    if (_done.IsEmpty) return;
                    continue;
                }
                if (reading && _read.Count < QueuedBatches)
                {
                    reading = ReadBatch();
                    if (!reading) _read.CompleteAdding();
                    continue;
                }
                _wake.Wait(_stop.Token);   // the engine took a batch, handed one over, or finished
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _fault = ExceptionDispatchInfo.Capture(ex);
            _stop.Cancel();
        }
        finally
        {
            if (!_read.IsAddingCompleted) _read.CompleteAdding();
        }
    }

    /// <summary>Parses one batch and queues it; false once the log is exhausted.</summary>
    private bool ReadBatch()
    {
        RowBatch batch = _freeRows.TryDequeue(out RowBatch? free) ? free : new RowBatch();
        ReadResult[] rows = batch.Rows;
        int count = 0;
        while (count < rows.Length && _reader.TryRead(out rows[count]))
        {
            // Keys are a pure function of the attempt: hashing them here takes it off the engine's thread.
            if (rows[count].IsValid) batch.Keys[count] = LoginAssessor.KeysOf(rows[count].Event.Attempt);
            count++;
        }
        batch.Count = count;
        if (count > 0) _read.Add(batch, _stop.Token);
        _betweenBatches?.Invoke();
        return count == rows.Length;
    }

    /// <summary>The sink and the decisions file for the rows the engine has been through, then the batch back to the pool.</summary>
    private void Finish(RowBatch batch)
    {
        ReadResult[] rows = batch.Rows;
        EventAssessment[] assessments = batch.Assessments;
        for (int i = 0; i < batch.Processed; i++)
        {
            if (!rows[i].IsValid)
            {
                _sink.Bad(in rows[i]);
                continue;
            }
            _sink.Assessed(in rows[i], in batch.Keys[i], in assessments[i]);
            if (_decisions is null) continue;
            int n = ReplayRunner.FormatDecision(_line, ++_written, in assessments[i]);
            _decisions.Write(_line, 0, n);
        }
        // Let the events and decisions go: a pooled batch must not keep a thousand attempts alive.
        Array.Clear(rows, 0, batch.Count);
        Array.Clear(assessments, 0, batch.Count);
        batch.Count = batch.Processed = 0;
        _freeRows.Enqueue(batch);
    }
}
