namespace Mamori.Breach;

/// <summary>Where breach data lives inside the data folder.</summary>
internal static class BreachPaths
{
    /// <summary>Sub-folder of the data folder that holds the indexes and, during an import, its work files.</summary>
    public const string FolderName = "breach";

    /// <summary>Work folder of a running import (sorted runs and the index being built). Same file system as the
    /// indexes, so the finished index is renamed into place atomically.</summary>
    public const string WorkFolderName = ".import-work";

    /// <summary>Held open (unshared) for the length of an import so two imports never share a work folder.</summary>
    public const string LockFileName = "import.lock";

    public static string Folder(string dataFolder) => Path.Combine(dataFolder, FolderName);

    public static string IndexFile(string dataFolder, PwnedHashMode mode) => Path.Combine(Folder(dataFolder), mode.IndexFileName());

    public static string WorkFolder(string dataFolder) => Path.Combine(Folder(dataFolder), WorkFolderName);
}
