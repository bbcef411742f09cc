using Mamori.Signals;
using Mamori.State;

namespace Mamori.Server.Recording;

/// <summary>Saves the in-memory signals to the data folder and loads them back at start.</summary>
public interface ISignalSnapshotter
{
    /// <summary>Whether the signal store can be snapshotted at all.</summary>
    bool IsSupported { get; }

    /// <summary>Writes a snapshot atomically (temporary file, fsync, rename).</summary>
    Task SaveAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads the snapshot if there is one; false when there was none (or it could not be read).</summary>
    Task<bool> RestoreAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Snapshots the in-memory store (<see cref="InMemorySignalStore.Save"/> / <see cref="InMemorySignalStore.Load"/>)
/// to <c>&lt;data&gt;/signals.snapshot</c>.
/// </summary>
/// <remarks>
/// Other stores (Redis) keep their own state and are reported as unsupported. A snapshot that cannot be read is moved
/// aside (<c>.bad</c>) and the node starts with empty signals rather than not at all.
/// </remarks>
public sealed class StreamSignalSnapshotter : ISignalSnapshotter
{
    /// <summary>File name in the data folder.</summary>
    public const string FileName = "signals.snapshot";

    private readonly InMemorySignalStore? _store;
    private readonly string _path;

    /// <summary>Creates a snapshotter for <paramref name="store"/> writing under <paramref name="dataFolder"/>.</summary>
    public StreamSignalSnapshotter(ISignalStore store, string dataFolder)
    {
        _store = store as InMemorySignalStore;
        _path = Path.Combine(dataFolder, FileName);
    }

    /// <summary>Where snapshots are written.</summary>
    public string SnapshotPath => _path;

    /// <inheritdoc />
    public bool IsSupported => _store is not null;

    /// <inheritdoc />
    public Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (!IsSupported) return Task.CompletedTask;
        string temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            _store!.Save(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RestoreAsync(CancellationToken cancellationToken = default)
    {
        if (!IsSupported || !File.Exists(_path)) return Task.FromResult(false);
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            _store!.Load(stream);
            return Task.FromResult(true);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or EndOfStreamException or NotSupportedException)
        {
            File.Move(_path, _path + ".bad", overwrite: true);
            throw new InvalidDataException($"The signal snapshot could not be read and was moved to {_path}.bad; signals start empty.", ex);
        }
    }
}
