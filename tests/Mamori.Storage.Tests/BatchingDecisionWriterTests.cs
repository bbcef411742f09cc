using Mamori.Storage;
using Mamori.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Mamori.Storage.Tests;

public sealed class BatchingDecisionWriterTests
{
    private sealed class RecordingLog : IDecisionLog
    {
        public readonly List<int> Batches = [];
        public TaskCompletionSource? Gate;
        public Exception? Fail;
        public async Task AppendAsync(IReadOnlyList<DecisionRecord> batch, CancellationToken cancellationToken = default)
        {
            if (Gate is not null) await Gate.Task;
            lock (Batches) Batches.Add(batch.Count);
            if (Fail is not null) throw Fail;
        }
        public Task<IReadOnlyList<DecisionRecord>> RecentForAccountAsync(string account, string? tenant, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DecisionRecord>>([]);
    }

    [Fact]
    public async Task ConcurrentWrites_AreAllCommittedToSqlite()
    {
        string folder = Directory.CreateTempSubdirectory("mamori-writer-").FullName;
        using (var storage = new SqliteStorage(folder))
        {
            await using var writer = new BatchingDecisionWriter(storage);
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => writer.WriteAsync(SqliteStorageTests.Record($"r{i}", "alice")))));

            Assert.Equal(500, writer.Records);
            Assert.Equal(500, (await storage.RecentForAccountAsync("alice", null, 1000)).Count);
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task WritesQueuedDuringACommit_GoIntoOneNextBatch()
    {
        var log = new RecordingLog { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var writer = new BatchingDecisionWriter(log);
        Task first = writer.WriteAsync(SqliteStorageTests.Record("r0", "a"));
        // The first commit is held open; what is written meanwhile must share transactions, not take one each.
        Task[] rest = Enumerable.Range(1, 50).Select(i => writer.WriteAsync(SqliteStorageTests.Record($"r{i}", "a"))).ToArray();
        log.Gate.SetResult();
        await first;
        await Task.WhenAll(rest);

        Assert.Equal(51, log.Batches.Sum());
        Assert.True(log.Batches.Count < 51, $"expected grouping, got {log.Batches.Count} batches");
    }

    [Fact]
    public async Task FailedCommit_FailsEveryWriterOfThatBatch()
    {
        var log = new RecordingLog { Fail = new IOException("disk full") };
        await using var writer = new BatchingDecisionWriter(log);
        int? observed = null;
        writer.BatchCompleted += (count, error) => { if (error is not null) observed = count; };

        Task[] writes = Enumerable.Range(0, 5).Select(i => writer.WriteAsync(SqliteStorageTests.Record($"r{i}", "a"))).ToArray();

        foreach (Task w in writes) await Assert.ThrowsAsync<IOException>(() => w);
        Assert.Equal(0, writer.Records);
        Assert.NotNull(observed);
    }

    [Fact]
    public async Task Dispose_CommitsWhatIsQueued()
    {
        var log = new RecordingLog();
        var writer = new BatchingDecisionWriter(log);
        Task[] writes = Enumerable.Range(0, 20).Select(i => writer.WriteAsync(SqliteStorageTests.Record($"r{i}", "a"))).ToArray();
        await writer.DisposeAsync();

        await Task.WhenAll(writes);
        Assert.Equal(20, log.Batches.Sum());
    }
}
