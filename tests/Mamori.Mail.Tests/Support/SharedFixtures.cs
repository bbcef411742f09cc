namespace Mamori.Mail.Tests.Support;

/// <summary>Finds the shared fixtures folder beside the repository (never copied into it).</summary>
internal static class SharedFixtures
{
    private static readonly Lazy<string?> s_mail = new(() => Find("shared/fixtures/mail"));

    /// <summary>The mail fixtures folder, or null when this checkout has none beside it.</summary>
    public static string? MailFolder => s_mail.Value;

    public const string MissingReason = "shared/fixtures/mail not found beside the repository (CI provides ../shared)";

    private static string? Find(string relative)
    {
        DirectoryInfo? repo = new(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Mamori.slnx"))) repo = repo.Parent;
        for (DirectoryInfo? dir = repo; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
