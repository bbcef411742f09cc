using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Mamori.Cli.Replay.Readers;
using Mamori.Signals;

namespace Mamori.Cli.Replay;

/// <summary>
/// Replay on two threads: the caller's runs the engine, one event at a time in file order; one more thread parses
/// the log and writes the decisions file. So the decisions are byte for byte those of a single-threaded replay.
/// </summary>
/// <remarks>
/// <para>Two threads because the budget is two cores: the engine keeps one to itself, and the other thread spends
/// its time where it is needed — writing the decisions that are ready first (so they never pile up), then parsing
/// the next batch while there is room for one, else sleeping until the engine takes or hands over a batch. A third
/// thread (separate reader and writer) only added switches between them on the second core.</para>
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
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<RowBatch> _read = new(QueuedBatches);
    private readonly ConcurrentQueue<(long First, EventAssessment[] Items, int Count)> _written = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentQueue<RowBatch> _freeRows = new();
    private readonly ConcurrentQueue<EventAssessment[]> _freeDecisions = new();
    private readonly Thread _thread;
    private readonly char[] _line = new char[ReplayRunner.MaxDecisionChars];
    private ExceptionDispatchInfo? _fault;
    private EventAssessment[] _pending;
    private int _pendingCount;
    private long _pendingFirst = 1;
    private volatile bool _writingDone;
    private bool _completed;

    /// <summary>Starts reading <paramref name="reader"/> (and, when given, writing to <paramref name="decisions"/>) at once.</summary>
    public ReplayPipeline(ILoginEventReader reader, TextWriter? decisions)
    {
        _reader = reader;
        _decisions = decisions;
        _pending = new EventAssessment[BatchSize];
        _thread = new Thread(Run) { IsBackground = true, Name = "replay-io" };
        _thread.Start();
    }

    /// <summary>Rows in file order, with each valid row's signal keys (computed on the parsing thread).</summary>
    public sealed class RowBatch
    {
        public ReadResult[] Rows { get; } = new ReadResult[BatchSize];
        public SignalKeys[] Keys { get; } = new SignalKeys[BatchSize];
        public int Count { get; set; }
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

    /// <summary>Gives a batch from <see cref="TryTake"/> back for reuse once its rows are assessed.</summary>
    public void Recycle(RowBatch batch)
    {
        Array.Clear(batch.Rows, 0, batch.Count);   // let the events go: a recycled batch must not keep a thousand attempts alive
        batch.Count = 0;
        _freeRows.Enqueue(batch);
    }

    /// <summary>Queues the decision of event <paramref name="eventNumber"/> (numbers are consecutive from 1) for the decisions file.</summary>
    public void Write(long eventNumber, in EventAssessment assessment)
    {
        if (_decisions is null) return;
        if (_pendingCount == 0) _pendingFirst = eventNumber;
        _pending[_pendingCount++] = assessment;
        if (_pendingCount == BatchSize) FlushPending();
    }

    /// <summary>Writes what is queued and waits for the other thread; rethrows its failure.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        if (_pendingCount > 0) FlushPending();
        _writingDone = true;
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

    private void FlushPending()
    {
        _fault?.Throw();
        _written.Enqueue((_pendingFirst, _pending, _pendingCount));
        _wake.Release();
        _pending = _freeDecisions.TryDequeue(out EventAssessment[]? free) ? free : new EventAssessment[BatchSize];
        _pendingCount = 0;
    }

    private void Run()
    {
        bool reading = true;
        try
        {
            while (true)
            {
                _stop.Token.ThrowIfCancellationRequested();
                if (_written.TryDequeue(out (long First, EventAssessment[] Items, int Count) ready))
                {
                    WriteBatch(ready.First, ready.Items, ready.Count);
                    continue;   // decisions first: they are done work waiting for the disk
                }
                if (_writingDone)
                {
                    // The engine is finished (the log's end, or strict mode stopped at a bad row): nothing more to parse.
                    if (_written.IsEmpty) return;
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
        return count == rows.Length;
    }

    private void WriteBatch(long first, EventAssessment[] items, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int n = ReplayRunner.FormatDecision(_line, first + i, in items[i]);
            _decisions!.Write(_line, 0, n);
        }
        Array.Clear(items, 0, count);
        _freeDecisions.Enqueue(items);
    }
}
