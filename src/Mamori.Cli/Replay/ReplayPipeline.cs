using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Mamori.Cli.Replay.Readers;
using Mamori.Signals;

namespace Mamori.Cli.Replay;

/// <summary>
/// The three stages of a replay on their own threads: parsing the log, the engine, writing the decisions file.
/// Only parsing and writing move off the caller's thread; the engine stays on it and sees the events one at a
/// time in file order, so the decisions are byte for byte those of a single-threaded replay.
/// </summary>
/// <remarks>
/// Stages hand over batches of <see cref="BatchSize"/> through bounded queues of <see cref="QueuedBatches"/>, so
/// memory stays bounded whatever the log's size and a fast reader waits for a slow engine. Batches are recycled.
/// A failure in a stage (an unreadable file, a full disk) stops the others and is rethrown on the caller's thread,
/// from <see cref="TryTake"/>, <see cref="Write"/> or <see cref="Complete"/>.
/// </remarks>
internal sealed class ReplayPipeline : IDisposable
{
    /// <summary>Rows or decisions per hand-over: large enough that queue traffic is noise, small enough to start at once.</summary>
    public const int BatchSize = 1024;

    /// <summary>Batches waiting between two stages; with <see cref="BatchSize"/>, at most ~8k events in flight per queue.</summary>
    public const int QueuedBatches = 8;

    private readonly ILoginEventReader _reader;
    private readonly TextWriter? _decisions;
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<RowBatch> _read = new(QueuedBatches);
    private readonly BlockingCollection<(long First, EventAssessment[] Items, int Count)> _written = new(QueuedBatches);
    private readonly ConcurrentQueue<RowBatch> _freeRows = new();
    private readonly ConcurrentQueue<EventAssessment[]> _freeDecisions = new();
    private readonly Thread _readerThread;
    private readonly Thread? _writerThread;
    private ExceptionDispatchInfo? _fault;
    private EventAssessment[] _pending;
    private int _pendingCount;
    private long _pendingFirst = 1;
    private bool _completed;

    /// <summary>Starts reading <paramref name="reader"/> (and, when given, writing to <paramref name="decisions"/>) at once.</summary>
    public ReplayPipeline(ILoginEventReader reader, TextWriter? decisions)
    {
        _reader = reader;
        _decisions = decisions;
        _pending = new EventAssessment[BatchSize];
        _readerThread = new Thread(ReadLoop) { IsBackground = true, Name = "replay-reader" };
        _readerThread.Start();
        if (decisions is not null)
        {
            _writerThread = new Thread(WriteLoop) { IsBackground = true, Name = "replay-writer" };
            _writerThread.Start();
        }
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
        if (_writerThread is null) return;
        if (_pendingCount == 0) _pendingFirst = eventNumber;
        _pending[_pendingCount++] = assessment;
        if (_pendingCount == BatchSize) FlushPending();
    }

    /// <summary>Writes what is queued and waits for the writer; rethrows a stage's failure.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        if (_writerThread is not null)
        {
            if (_pendingCount > 0) FlushPending();
            _written.CompleteAdding();
            _writerThread.Join();
        }
        _stop.Cancel();   // the reader may still be reading (strict mode stopped at a bad row)
        _readerThread.Join();
        _fault?.Throw();
    }

    /// <summary>Stops the stages without waiting for the decisions to be written (after a failure on the caller's side).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _stop.Cancel();
            _writerThread?.Join();
            _readerThread.Join();
        }
        _stop.Dispose();
        _read.Dispose();
        _written.Dispose();
    }

    private void FlushPending()
    {
        try
        {
            _written.Add((_pendingFirst, _pending, _pendingCount), _stop.Token);
        }
        catch (OperationCanceledException) when (_fault is not null)
        {
            _fault.Throw();
        }
        _pending = _freeDecisions.TryDequeue(out EventAssessment[]? free) ? free : new EventAssessment[BatchSize];
        _pendingCount = 0;
    }

    private void ReadLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
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
                if (count < rows.Length) break;
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            _read.CompleteAdding();
        }
    }

    private void WriteLoop()
    {
        var line = new char[ReplayRunner.MaxDecisionChars];
        try
        {
            foreach ((long first, EventAssessment[] items, int count) in _written.GetConsumingEnumerable(_stop.Token))
            {
                for (int i = 0; i < count; i++)
                {
                    int n = ReplayRunner.FormatDecision(line, first + i, in items[i]);
                    _decisions!.Write(line, 0, n);
                }
                Array.Clear(items, 0, count);
                _freeDecisions.Enqueue(items);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        Interlocked.CompareExchange(ref _fault, ExceptionDispatchInfo.Capture(ex), null);
        _stop.Cancel();
    }
}
