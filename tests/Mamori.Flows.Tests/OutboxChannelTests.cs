using Mamori.Flows.Channels;

namespace Mamori.Flows.Tests;

public sealed class OutboxChannelTests
{
    [Theory]
    [InlineData("mizuho:1234567", "mizuho:••••567", "1234567")]
    [InlineData("hanako@example.jp", "h•••@example.jp", "hanako")]
    [InlineData("+819012345678", "•••••••••5678", "9012345")]
    public async Task TheConsoleLine_MasksTheRecipient_WhileTheOutboxFileKeepsIt(string recipient, string shown, string hidden)
    {
        string folder = Directory.CreateTempSubdirectory("mamori-outbox-").FullName;
        try
        {
            string path = Path.Combine(folder, "outbox.jsonl");
            var console = new StringWriter();
            var channel = new OutboxChannel(path, console);

            await channel.SendAsync(new OutboundMessage("bank", recipient, "wallet-1", "Someone tried to link your bank account", "body",
                DateTimeOffset.UnixEpoch), CancellationToken.None);

            Assert.Contains(shown, console.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(hidden, console.ToString(), StringComparison.Ordinal);
            using var line = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(path));
            Assert.Equal(recipient, line.RootElement.GetProperty("to").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
