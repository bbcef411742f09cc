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
            console?.WriteLine($"[mamori outbox] {message.Channel} → {message.Recipient}: {message.Subject}");
        }
        return Task.CompletedTask;
    }
}
