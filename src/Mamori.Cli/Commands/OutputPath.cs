namespace Mamori.Cli.Commands;

/// <summary>Checks an output path before a command does its work.</summary>
/// <remarks>A report path in a folder that does not exist used to fail with an unhandled exception after minutes of
/// tracing or simulating; checked first, the mistake costs nothing and is named in one line.</remarks>
internal static class OutputPath
{
    /// <summary>Whether <paramref name="path"/> can be created: its folder exists and it is not itself a folder.</summary>
    /// <param name="option">The option that named it, for the message (e.g. <c>--report</c>).</param>
    /// <param name="path">The path as given.</param>
    /// <param name="error">Why not, naming the option and the path.</param>
    public static bool TryCheck(string option, string path, out string error)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (Directory.Exists(full))
            error = $"{option} {path}: is a directory; name a file.";
        else if (folder is not null && !Directory.Exists(folder))
            error = $"{option} {path}: the folder {folder} does not exist.";
        else
            error = "";
        return error.Length == 0;
    }
}
