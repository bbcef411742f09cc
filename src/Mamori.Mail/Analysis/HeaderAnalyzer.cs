using System.Text;
using System.Text.RegularExpressions;
using Mamori.Mail.Policy;
using MimeKit;
using MimeKit.Cryptography;

namespace Mamori.Mail.Analysis;

/// <summary>Checks on the sender, subject, thread and authentication headers.</summary>
internal static partial class HeaderAnalyzer
{
    private const int MaxDisplayNameChars = 256;
    private const int MaxSubjectChars = 1024;

    public static void Analyze(MimeMessage message, ScanContext context, IReadOnlyCollection<string> protectedDomains,
        IReadOnlySet<string> trustedAuthServIds)
    {
        MailboxAddress? from = message.From.Mailboxes.FirstOrDefault();
        string fromDomain = from is null ? "" : DomainNames.Normalize(from.Domain ?? "");

        if (from is not null && !string.IsNullOrWhiteSpace(from.Name))
        {
            // Bounded before any regex sees it: a display name is a few dozen characters, a hostile one megabytes.
            string name = from.Name.Trim().Trim('"', '\'', '「', '」');
            if (name.Length > MaxDisplayNameChars) name = name[..MaxDisplayNameChars];
            foreach (Match match in EmbeddedAddress().Matches(name))
            {
                string embeddedDomain = match.Groups["domain"].Value;
                if (fromDomain.Length > 0 && !DomainNames.SameOrganisation(embeddedDomain, fromDomain))
                {
                    context.Add(MailFindingCode.DisplayNameAddressMismatch,
                        $"display name shows {match.Value} but the mail is from {from.Address}");
                    break;
                }
            }
            if (HonorificSuffix().IsMatch(name))
                context.Add(MailFindingCode.DisplayNameHonorific,
                    $"sender name '{name}' ends in an honorific, as names copied from an address book do");
            else if (DepartmentPrefix().IsMatch(name) && !CompanyMarker().IsMatch(name))
                context.Add(MailFindingCode.DisplayNameHonorific,
                    $"sender name '{name}' starts with a department, as names copied from an address book do");
            foreach (Match match in EmbeddedAddress().Matches(name))
                CheckLookalike(match.Groups["domain"].Value, "display name", context, protectedDomains);
        }

        if (fromDomain.Length > 0) CheckLookalike(fromDomain, "From", context, protectedDomains);

        string subject = message.Subject ?? "";
        if (subject.Length > MaxSubjectChars) subject = subject[..MaxSubjectChars];
        if (ReplySubject().IsMatch(subject) && string.IsNullOrEmpty(message.InReplyTo) && message.References.Count == 0)
            context.Add(MailFindingCode.ReplyWithoutThread, $"subject '{Shorten(subject)}' says reply or forward but the mail has no In-Reply-To or References");

        bool mailingList = message.Headers.Contains("List-Id") || message.Headers.Contains("List-Post");
        foreach (MailboxAddress replyTo in message.ReplyTo.Mailboxes)
        {
            string replyDomain = DomainNames.Normalize(replyTo.Domain ?? "");
            if (replyDomain.Length == 0) continue;
            CheckLookalike(replyDomain, "Reply-To", context, protectedDomains);
            // Mailing lists point Reply-To at the list; that is how they work, not a spoof.
            if (!mailingList && fromDomain.Length > 0 && !DomainNames.SameOrganisation(replyDomain, fromDomain)
                && !protectedDomains.Contains(DomainNames.OrganisationalDomain(replyDomain)))
                context.Add(MailFindingCode.ReplyToMismatch, $"replies go to {replyTo.Address}, not to the sender's domain {fromDomain}");
        }

        if (trustedAuthServIds.Count > 0) CheckAuthenticationResults(message, context, trustedAuthServIds);
    }

    public static void CheckLookalike(string domain, string where, ScanContext context, IReadOnlyCollection<string> protectedDomains)
    {
        if (protectedDomains.Count == 0 || context.Has(MailFindingCode.LookalikeDomain)) return;
        if (DomainNames.TryMatchLookalike(domain, protectedDomains, out string matched))
            context.Add(MailFindingCode.LookalikeDomain, $"{where} domain {domain} imitates {matched}");
    }

    private static void CheckAuthenticationResults(MimeMessage message, ScanContext context, IReadOnlySet<string> trusted)
    {
        bool dkimPass = false;
        var dkimFail = false;
        foreach (Header header in message.Headers)
        {
            if (header.Id != HeaderId.AuthenticationResults) continue;
            byte[] raw = header.RawValue;
            if (!AuthenticationResults.TryParse(raw, out AuthenticationResults? results)
                || results.AuthenticationServiceIdentifier is null
                || !trusted.Contains(results.AuthenticationServiceIdentifier)) continue;
            foreach (AuthenticationMethodResult result in results.Results)
            {
                string method = result.Method?.ToLowerInvariant() ?? "";
                string outcome = result.Result?.ToLowerInvariant() ?? "";
                switch (method)
                {
                    case "spf" when outcome == "fail":
                        context.Add(MailFindingCode.SpfFail, $"{results.AuthenticationServiceIdentifier} recorded spf=fail");
                        break;
                    case "dkim" when outcome == "pass": dkimPass = true; break;
                    case "dkim" when outcome == "fail": dkimFail = true; break;
                    case "dmarc" when outcome == "fail":
                        context.Add(MailFindingCode.DmarcFail, $"{results.AuthenticationServiceIdentifier} recorded dmarc=fail");
                        break;
                }
            }
        }
        // A message may carry several signatures; one that verifies is enough.
        if (dkimFail && !dkimPass) context.Add(MailFindingCode.DkimFail, "a trusted MTA recorded dkim=fail and no signature passed");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?<domain>(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex EmbeddedAddress();

    // Japanese honorifics are what others call a person: nobody signs their own mail "大久保さん".
    [GeneratedRegex(@"(?:さん|様|さま|サマ|殿|御中|ｻﾝ|ｻﾏ|宛)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HonorificSuffix();

    [GeneratedRegex(@"^[^\s　]{0,10}?(?:部|課|室|係|本部|センター|グループ|チーム)[\s　]+\S", RegexOptions.CultureInvariant)]
    private static partial Regex DepartmentPrefix();

    [GeneratedRegex(@"株式会社|有限会社|合同会社|\(株\)|（株）|㈱|\b(?:Inc|Ltd|Co|Corp|LLC|GmbH)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CompanyMarker();

    [GeneratedRegex(@"^\s*(?:(?:re|fw|fwd|aw|sv|wg|tr)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|(?:返信|転送|ＲＥ|Ｒｅ|ＦＷ|Ｆｗ)\s*[:：])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ReplySubject();
}
