namespace Mamori.Flows.Channels;

/// <summary>A message leaving Mamori: a one-time code or a notification.</summary>
/// <param name="Channel">Delivery channel name: <c>sms</c>, <c>email</c>, <c>webhook</c>, or <c>bank</c> (the bank's own channel to its account holder).</param>
/// <param name="Recipient">Address in the channel (phone number, e-mail, URL, or <c>bank:account</c>).</param>
/// <param name="Account">The Mamori account it concerns.</param>
/// <param name="Subject">Short subject line.</param>
/// <param name="Body">Text (may contain a one-time code or a "not me" link).</param>
/// <param name="At">When it was sent.</param>
public sealed record OutboundMessage(string Channel, string Recipient, string Account, string Subject, string Body, DateTimeOffset At);

/// <summary>Delivers one-time codes and notifications through one channel (SMS, e-mail, webhook, the bank's channel).</summary>
/// <remarks>
/// Operators register their own implementations in DI; the first one whose <see cref="CanDeliver"/> accepts a channel
/// name is used, and the built-in outbox (a file plus the console) takes whatever no other channel does, so the
/// embedded default works with nothing configured.
/// </remarks>
public interface IOneTimeCodeChannel
{
    /// <summary>Whether this implementation delivers messages of the named channel.</summary>
    bool CanDeliver(string channel);

    /// <summary>Sends the message.</summary>
    /// <exception cref="Exception">Any delivery failure; the caller records it in the audit log.</exception>
    Task SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
