using System.Net.Http.Json;

namespace Mamori.Flows.Channels;

/// <summary>Posts messages of the <c>webhook</c> channel as JSON to the recipient URL (or a fixed endpoint).</summary>
/// <remarks>Register with <c>services.AddSingleton&lt;IOneTimeCodeChannel&gt;(new WebhookChannel(httpClient, endpoint))</c>.
/// The operator's endpoint turns it into an SMS or e-mail; Mamori keeps no provider credentials.</remarks>
public sealed class WebhookChannel(HttpClient httpClient, Uri? endpoint = null) : IOneTimeCodeChannel
{
    /// <inheritdoc />
    public bool CanDeliver(string channel) => channel == "webhook";

    /// <inheritdoc />
    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        Uri target = endpoint ?? new Uri(message.Recipient, UriKind.Absolute);
        using HttpResponseMessage response = await httpClient.PostAsJsonAsync(target, new
        {
            channel = message.Channel, to = message.Recipient, account = message.Account, subject = message.Subject,
            body = message.Body, at = message.At,
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
