namespace Mamori;

/// <summary>Creates the folders Mamori keeps its data in, readable by its own user only.</summary>
/// <remarks>The database, the breach index and the flows' store hold account ids, addresses and key hashes; with the
/// usual umask (022) a folder created by <see cref="Directory.CreateDirectory(string)"/> and its files are readable by
/// every local user. A folder that already exists keeps the mode its owner gave it.</remarks>
public static class PrivateFolder
{
    /// <summary>Creates <paramref name="path"/> (and missing parents) with mode 0700 on Unix; a no-op when it exists.</summary>
    public static void Create(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
