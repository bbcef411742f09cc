using System.Globalization;
using Mamori.Flows.Channels;
using Mamori.Flows.Storage;

namespace Mamori.Flows;

/// <summary>What the login server knows of a successful login the engine held up (answered <c>step_up</c> or
/// <c>deny</c>), for the notice to the account's holder. No address: the notice names the network, not the host.</summary>
/// <param name="Account">The account signed in to.</param>
/// <param name="At">When the login happened.</param>
/// <param name="Device">Browser and system, e.g. "Chrome on Windows"; null when the login carried no user agent.</param>
/// <param name="Country">ISO 3166 code of the address, when known.</param>
/// <param name="Asn">The address's autonomous system, when known.</param>
/// <param name="Answer">What the login was answered, and whether the answer reached it in time.</param>
public sealed record HeldUpLogin(string Account, DateTimeOffset At, string? Device, string? Country, long? Asn, HeldUpAnswer Answer);

/// <summary>What a held-up login was answered, as the notice can truthfully say it.</summary>
public enum HeldUpAnswer : byte
{
    /// <summary>Answered <c>step_up</c> before it completed: a second check was asked for.</summary>
    SecondCheck,
    /// <summary>Answered <c>deny</c> before it completed: the sign-in was refused.</summary>
    Refused,
    /// <summary>Assessed after it happened (a login shipped in a log): the notice claims no check and no refusal.</summary>
    AfterTheFact,
}

/// <summary>
/// Tells an account's registered contact about a successful login from a device or network the account had not used,
/// so the holder hears of a takeover when it happens. In the 2025 wave of brokerage takeovers the holders learned of
/// theirs days later, from trades they had not made; a real-time phishing relay passes a one-time code, but its login
/// still reaches the holder's phone as a notice.
/// </summary>
/// <remarks>
/// At most one notice per account per <see cref="FlowsOptions.UnfamiliarLoginNoticeInterval"/> (a stepped-up new phone
/// is one notice, not one per login), none for a login older than <see cref="MaxAge"/> when it is reported (a shipped
/// log's old logins), none without a registered contact. Sent through the channels like every other notification and
/// audited; a failing channel is logged and audited and never fails the login.
/// </remarks>
public sealed class UnfamiliarLoginNotices
{
    /// <summary>Oldest login that still gets a notice when it is reported.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly IAccountRecordStore _accounts;
    private readonly Notifier _notifier;
    private readonly FlowsOptions _options;
    private readonly TimeProvider _time;

    internal UnfamiliarLoginNotices(IAccountRecordStore accounts, Notifier notifier, FlowsOptions options, TimeProvider time) =>
        (_accounts, _notifier, _options, _time) = (accounts, notifier, options, time);

    /// <summary>Sends the notice unless one of the rules above holds it back; returns whether it was sent.</summary>
    /// <param name="login">The login.</param>
    /// <param name="previousHeldUp">When the account's previous held-up login was (its last <c>unfamiliar_login</c> event
    /// before this one), or null.</param>
    /// <param name="cancellationToken">Cancels the store read and the sending.</param>
    public async Task<bool> NotifyAsync(HeldUpLogin login, DateTimeOffset? previousHeldUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (!_options.NotifyUnfamiliarLogins) return false;
        if (_time.GetUtcNow() - login.At > MaxAge) return false;
        if (previousHeldUp is { } previous && login.At - previous < _options.UnfamiliarLoginNoticeInterval && login.At >= previous) return false;
        if (await _accounts.GetContactAsync(login.Account, cancellationToken).ConfigureAwait(false) is not { } contact) return false;
        return await _notifier.SendAsync(new OutboundMessage(contact.Channel, contact.Address, login.Account, Subject, Body(login), _time.GetUtcNow()),
            FlowReason.ContactNotified, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The notice's subject (also the audit entry's detail).</summary>
    public const string Subject = "Your password was used from a new device or network";

    private string Body(HeldUpLogin login)
    {
        var from = new List<string>(3);
        if (login.Device is { Length: > 0 } device) from.Add(device);
        if (login.Country is { Length: > 0 } country) from.Add("in " + country);
        if (login.Asn is { } asn) from.Add("network AS" + asn.ToString(CultureInfo.InvariantCulture));
        string where = from.Count == 0 ? "" : " (" + string.Join(", ", from) + ")";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"Your password was used to sign in to your account at {login.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC from a device or network it had not used before{where}") +
            login.Answer switch
            {
                HeldUpAnswer.Refused => ", and the sign-in was refused. ",
                HeldUpAnswer.SecondCheck => ", and a second check was asked for. ",
                _ => ". ",
            } +
            "If this was you, there is nothing to do. If it was not, someone else knows your password: change it now and tell us.";
        if (_options.RecentRiskWindow <= TimeSpan.Zero) return text;
        string window = _options.RecentRiskWindow.TotalHours >= 48
            ? _options.RecentRiskWindow.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
            : _options.RecentRiskWindow.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours";
        return text + $" For {window} after such a sign-in, no bank account can be linked and no withdrawal destination or contact address changed on your account.";
    }
}
