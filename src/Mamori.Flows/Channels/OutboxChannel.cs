using System.Text.Json;

namespace Mamori.Flows.Channels;

/// <summary>The default channel: appends each message as a JSON line to <c>outbox.jsonl</c> in the data folder and prints it.</summary>
/// <remarks>For development and the embedded default only: the outbox holds live one-time codes, so it is created 0600.
/// Thread-safe: appends are serialised by a lock.</remarks>
internal sealed class OutboxChannel(string path, TextWriter? console) : IOneTimeCodeChannel
{
    private readonly Lock _lock = new();

    public string Path => path;

    public bool CanDeliver(string channel) => true;

    public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        string line = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["at"] = message.At.UtcDateTime.ToString("O"), ["channel"] = message.Channel, ["to"] = message.Recipient,
            ["account"] = message.Account, ["subject"] = message.Subject, ["body"] = message.Body,
        });
        lock (_lock)
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(path, options)) writer.WriteLine(line);
            console?.WriteLine($"[mamori outbox] {message.Channel} → {Masked(message.Recipient)}: {message.Subject}");
        }
        return Task.CompletedTask;
    }

    /// <summary>The recipient as the console shows it: a bank account, phone number or mailbox is personal data, and
    /// consoles end up in log collectors. Enough stays to tell messages apart (the file has the whole address).</summary>
    /// <example><c>mizuho:1234567</c> → <c>mizuho:••••567</c>; <c>hanako@example.jp</c> → <c>h•••@example.jp</c>;
    /// <c>+819012345678</c> → <c>•••••••••5678</c>.</example>
    internal static string Masked(string recipient)
    {
        int at = recipient.LastIndexOf('@');
        if (at > 0) return recipient[0] + "•••" + recipient[at..];
        int colon = recipient.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0
            ? recipient[..(colon + 1)] + MoneyMovement.LinkAdministration.Mask(recipient[(colon + 1)..])
            : MoneyMovement.LinkAdministration.Mask(recipient);
    }
}
