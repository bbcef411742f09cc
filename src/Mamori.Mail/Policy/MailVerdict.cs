using System.Diagnostics;

namespace Mamori.Mail.Policy;

/// <summary>What the MTA should do with a message, mildest first.</summary>
public enum MailVerdict : byte
{
    /// <summary>Deliver as is.</summary>
    Accept,
    /// <summary>Deliver with Mamori's header so mail clients or rules can mark it.</summary>
    Tag,
    /// <summary>Hold for an administrator; the recipient does not see it until released.</summary>
    Quarantine,
    /// <summary>Refuse during the SMTP session (550 5.7.1), so the sender learns it was not delivered.</summary>
    Reject,
}

/// <summary>Wire names of <see cref="MailVerdict"/>.</summary>
public static class MailVerdictNames
{
    /// <summary>The stable lower-case name of <paramref name="verdict"/>.</summary>
    public static string ToWireName(this MailVerdict verdict) => verdict switch
    {
        MailVerdict.Accept => "accept",
        MailVerdict.Tag => "tag",
        MailVerdict.Quarantine => "quarantine",
        MailVerdict.Reject => "reject",
        _ => throw new UnreachableException($"MailVerdict {verdict} has no wire name."),
    };
}
