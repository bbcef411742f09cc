using System.Threading.Channels;

namespace Mamori.Storage;

/// <summary>
/// Group commit for decisions: callers enqueue a record and await its commit; one background loop takes everything
/// queued, writes it in one transaction, and completes every waiter. While a commit (an fsync) runs, the next batch
/// gathers, so batch size follows load with no timer: one record at a trickle, hundreds at peak.
/// </summary>
/// <remarks>
/// Thread-safe. The queue is bounded (<see cref="MaxQueued"/>): when the disk falls behind, callers wait rather than
/// the process filling memory; the server bounds that wait with its own timeout and falls back to its failure policy.
/// </remarks>
public sealed class BatchingDecisionWriter : IAsyncDisposable
{
    /// <summary>Records queued at most; beyond it <see cref="WriteAsync"/> waits for room.</summary>
    public const int MaxQueued = 65_536;

    /// <summary>Records in one transaction at most (keeps a single commit short).</summary>
    public const int MaxBatch = 4_096;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly IDecisionLog _log;
    private readonly Task _loop;
    private long _batches, _records;

    /// <summary>Starts the commit loop over <paramref name="log"/>.</summary>
    public BatchingDecisionWriter(IDecisionLog log)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        // A thread of its own: a commit blocks in fsync for up to milliseconds, and a blocked thread-pool thread is
        // one fewer to run requests (on 2 cores that is half the pool's starting size).
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Raised (on the loop) after each batch with its size and its error, if it failed.</summary>
    public event Action<int, Exception?>? BatchCompleted;

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Records committed so far.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Queues <paramref name="record"/>; completes once it is committed, or throws what the commit threw.</summary>
    /// <exception cref="ChannelClosedException">The writer is shutting down.</exception>
    public async Task WriteAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Committed.Task.ConfigureAwait(false);
    }

    /// <summary>Stops taking records, commits what is queued, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private void Run()
    {
        var batch = new List<Pending>(256);
        var records = new List<DecisionRecord>(256);
        ChannelReader<Pending> reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            records.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out Pending p))
            {
                batch.Add(p);
                records.Add(p.Record);
            }
            Exception? error = null;
            try
            {
                _log.AppendAsync(records).GetAwaiter().GetResult();
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _records, records.Count);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            foreach (Pending p in batch)
            {
                if (error is null) p.Committed.TrySetResult();
                else p.Committed.TrySetException(error);
            }
            try { BatchCompleted?.Invoke(batch.Count, error); }
            catch (Exception) { /* an observer's failure must not stop commits */ }
        }
    }

    private readonly record struct Pending(DecisionRecord Record, TaskCompletionSource Committed);
}
