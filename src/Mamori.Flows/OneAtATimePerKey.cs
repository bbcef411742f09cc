namespace Mamori.Flows;

/// <summary>One holder per key at a time in this process; the others wait here, in memory.</summary>
/// <remarks>
/// The database serialises decisions with advisory locks (an account's limits, a bank account's links), but a call
/// waiting for such a lock holds a pooled connection: 200 parallel guesses at one account, or 200 link requests for one
/// bank account, would hold 200 connections (the pool's 100, then the server's <c>max_connections</c>), starving every
/// other flow call. Queued here first, a node sends one decision per key at a time and holds one connection for it.
/// Entries live while calls hold or wait for them. Thread-safe.
/// </remarks>
internal sealed class OneAtATimePerKey
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    internal sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;   // calls holding or waiting for it; read and written under the dictionary's lock
    }

    /// <summary>Runs <paramref name="call"/> once no other call of <paramref name="key"/> runs in this process.</summary>
    public async Task<T> RunAsync<T>(string key, Func<Task<T>> call, CancellationToken ct)
    {
        using Lease lease = (await TryAcquireAsync(key, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false))!;
        return await call().ConfigureAwait(false);
    }

    /// <summary>Holds <paramref name="key"/> until the lease is disposed; null when another holder kept it for
    /// <paramref name="timeout"/>.</summary>
    public async Task<Lease?> TryAcquireAsync(string key, TimeSpan timeout, CancellationToken ct)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate!)) _gates[key] = gate = new Gate();
            gate.Users++;
        }
        bool held = false;
        try
        {
            held = await gate.Semaphore.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        finally
        {
            if (!held) Leave(key, gate);
        }
        return held ? new Lease(this, key, gate) : null;
    }

    private void Leave(string key, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>A key held; disposing it (once) lets the next waiter in.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly OneAtATimePerKey _owner;
        private readonly string _key;
        private readonly Gate _gate;
        private int _disposed;

        internal Lease(OneAtATimePerKey owner, string key, Gate gate) => (_owner, _key, _gate) = (owner, key, gate);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _gate.Semaphore.Release();
            _owner.Leave(_key, _gate);
        }
    }
}
