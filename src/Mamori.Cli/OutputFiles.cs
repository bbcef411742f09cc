namespace Mamori.Cli;

/// <summary>
/// The files a command writes, each written first to a temporary file beside it (<c>name.partial-&lt;pid&gt;</c>) and
/// moved over its name only by <see cref="Commit"/>, when the run has completed; disposing without committing deletes
/// the temporary files.
/// </summary>
/// <remarks>
/// <para>A decisions file cut mid-row by Ctrl-C, a crash or a full disk looks complete under its final name, and a report
/// from an earlier run beside it looks like this run's. Written this way a file under its final name is always a whole
/// run's, and an interrupted run leaves the earlier run's files as they were. The temporary file is in the same
/// directory so that the move is a rename, not a copy.</para>
/// <para>Every path is checked, and its temporary file created, by <see cref="TryCreate"/>, before the command reads
/// its input: a directory, a missing directory or a read-only place fails at once, not after an hour of replay.</para>
/// <para>Not thread-safe; a stream from <see cref="Open"/> may be written from another thread (the replay's pipeline).</para>
/// </remarks>
internal sealed class OutputFiles : IDisposable
{
    private readonly List<Pending> _files = [];
    private bool _committed;

    private sealed record Pending(string Option, string Path, string TempPath, FileStream Stream);

    private OutputFiles()
    {
    }

    /// <summary>
    /// Checks each output (null ones are not asked for) and creates its temporary file: false, with one sentence in
    /// <paramref name="error"/>, when a path is a directory, its directory is missing, it cannot be written, it names the
    /// input (<paramref name="input"/>, null for standard input) or two outputs name one file.
    /// </summary>
    public static bool TryCreate(string? input, IEnumerable<(string Option, string? Path)> outputs, out OutputFiles files, out string? error)
    {
        files = new OutputFiles();
        error = null;
        string? inputIdentity = input is null ? null : Identity(input);
        var named = new List<(string Option, string Path, string Identity)>();
        foreach ((string option, string? path) in outputs)
        {
            if (path is null) continue;
            string full = Path.GetFullPath(path);
            string identity = Identity(path);
            if (inputIdentity is not null && SamePath(identity, inputIdentity))
                error = $"{option} {path} is the log being read: writing it would destroy the log; give another file name";
            else if (named.FindIndex(o => SamePath(o.Identity, identity)) is int same and >= 0)
                error = $"{named[same].Option} and {option} both name {path}: each output needs a file of its own";
            else if (Directory.Exists(full))
                error = $"{option} {path} is a directory: give a file name";
            else if (Path.GetDirectoryName(full) is string directory && !Directory.Exists(directory))
                error = $"{option} {path}: the directory {directory} does not exist";
            if (error is not null) break;
            named.Add((option, path, identity));
        }
        foreach ((string option, string path, _) in error is null ? named : [])
        {
            string temp = TempPathOf(path);
            try
            {
                files._files.Add(new Pending(option, path, temp, new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"{option} {path} cannot be written: {ex.Message}";
                break;
            }
        }
        if (error is null) return true;
        files.Dispose();
        return false;
    }

    /// <summary>The temporary file <paramref name="path"/> is written to until <see cref="Commit"/>.</summary>
    public static string TempPathOf(string path) => $"{Path.GetFullPath(path)}.partial-{Environment.ProcessId}";

    /// <summary>
    /// The stream to write <paramref name="path"/>'s content to (its temporary file). A failure to write it (a full disk)
    /// is thrown as an <see cref="OutputWriteException"/> naming <paramref name="path"/>, so that it is not taken for
    /// a failure to read the input; a cancelled <paramref name="cancel"/> stops the next write.
    /// </summary>
    public Stream Open(string path, CancellationToken cancel = default) =>
        new GuardedStream(_files.Single(f => f.Path == path), cancel);

    /// <summary>Moves every temporary file over its final name: the run is complete.</summary>
    /// <exception cref="OutputWriteException">A temporary file could not be flushed or moved.</exception>
    public void Commit()
    {
        foreach (Pending file in _files)
        {
            try
            {
                file.Stream.Dispose();   // flushes: a full disk shows here, before the move
                File.Move(file.TempPath, file.Path, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputWriteException(file.Path, file.TempPath, ex);
            }
        }
        _committed = true;
    }

    /// <summary>Deletes the temporary files unless <see cref="Commit"/> moved them.</summary>
    public void Dispose()
    {
        if (_committed) return;
        _committed = true;
        foreach (Pending file in _files)
        {
            try { file.Stream.Dispose(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }   // a full disk: deleted next anyway
            try { File.Delete(file.TempPath); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }   // nothing more can be done; the final name is untouched
        }
    }

    /// <summary>What a path is on disk: its full path with symbolic links (its own and its directories') resolved.</summary>
    internal static string Identity(string path)
    {
        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full);
        try
        {
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is FileSystemInfo target)
                return Identity(target.FullName);
        }
        catch (IOException)
        {
            // A link loop or an unreadable link: compared by its own name.
        }
        return parent is null ? full : Path.Combine(Identity(parent), Path.GetFileName(full));
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a, b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>Passes writes to the temporary file; a write failure becomes an <see cref="OutputWriteException"/>.</summary>
    /// <remarks>Disposing it leaves the temporary file open: closing a writer over it must not close the file, which
    /// <see cref="Commit"/> flushes (reporting a full disk there) and moves.</remarks>
    private sealed class GuardedStream(Pending file, CancellationToken cancel) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cancel.ThrowIfCancellationRequested();
            try { file.Stream.Write(buffer); }
            catch (IOException ex) { throw new OutputWriteException(file.Path, file.TempPath, ex); }
        }

        public override void Flush()
        {
            try { file.Stream.Flush(); }
            catch (IOException ex) { throw new OutputWriteException(file.Path, file.TempPath, ex); }
        }
    }
}

/// <summary>Writing an output file failed (a full disk, a lost network share): not a problem with the input.</summary>
/// <remarks>The message names the output as the user gave it; the temporary file's name, which .NET appends to the
/// system's message (<c>No space left on device : '/data/d.csv.partial-4242'</c>), is left out.</remarks>
internal sealed class OutputWriteException(string path, string tempPath, Exception inner)
    : IOException($"writing {path}: {inner.Message.Replace($" : '{tempPath}'", "", StringComparison.Ordinal)}", inner)
{
    /// <summary>The output's path, as the user gave it.</summary>
    public string Path { get; } = path;
}
