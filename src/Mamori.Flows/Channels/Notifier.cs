using Mamori.Flows.Storage;
using Microsoft.Extensions.Logging;

namespace Mamori.Flows.Channels;

/// <summary>Picks a channel for a message, sends it and records the notification in the audit log.</summary>
/// <remarks>A failing channel must not decide a flow: the failure is audited and logged, and the flow's decision stands.</remarks>
internal sealed partial class Notifier(IEnumerable<IOneTimeCodeChannel> channels, OutboxChannel outbox, IAuditLog audit, ILogger<Notifier> logger)
{
    private readonly IOneTimeCodeChannel[] _channels = channels.ToArray();

    /// <summary>Sends; returns false (and audits the failure) when delivery threw.</summary>
    public async Task<bool> SendAsync(OutboundMessage message, FlowReason reason, CancellationToken cancellationToken)
    {
        IOneTimeCodeChannel channel = _channels.FirstOrDefault(c => c.CanDeliver(message.Channel)) ?? outbox;
        bool delivered = true;
        try { await channel.SendAsync(message, cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivered = false;
            Log.DeliveryFailed(logger, message.Channel, ex);
        }
        await audit.AppendAsync(new AuditEntry(message.At, message.Account, delivered ? "notification" : "notification_failed",
            $"{message.Channel}:{OutboxChannel.Masked(message.Recipient)}", null, [reason.ToWireName()], message.Subject), cancellationToken);
        return delivered;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Delivery through channel {Channel} failed.")]
        public static partial void DeliveryFailed(ILogger logger, string channel, Exception exception);
    }
}
