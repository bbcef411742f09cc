using System.Globalization;
using System.Text;

namespace Mamori.Mail;

/// <summary>Domain name helpers: organisational domain, confusable skeletons, one-edit neighbours.</summary>
/// <remarks>The organisational domain uses a short built-in list of second-level public suffixes (co.jp,
/// ne.jp, co.uk …) instead of the full Public Suffix List, which the offline feed does not serve; see
/// docs/mail.md, Limitations.</remarks>
internal static class DomainNames
{
    private static readonly HashSet<string> s_secondLevelSuffixes = new(StringComparer.Ordinal)
    {
        "co.jp", "ne.jp", "or.jp", "ac.jp", "ad.jp", "ed.jp", "go.jp", "gr.jp", "lg.jp",
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.kr", "or.kr", "ne.kr", "com.cn", "net.cn", "org.cn", "com.tw", "org.tw", "com.hk",
        "com.sg", "com.br", "co.nz", "co.in", "co.za", "com.mx",
    };

    // Characters that render like ASCII letters (a small slice of Unicode's confusables.txt, the part seen in
    // phishing: Cyrillic and Greek homoglyphs, fullwidth forms are folded by NFKC before this map).
    private static readonly Dictionary<char, char> s_confusables = new()
    {
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i',
        ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd', ['һ'] = 'h', ['ӏ'] = 'l', ['ο'] = 'o', ['α'] = 'a', ['ν'] = 'v',
        ['τ'] = 't', ['ι'] = 'i', ['κ'] = 'k', ['ρ'] = 'p', ['0'] = 'o', ['1'] = 'l', ['i'] = 'l', ['5'] = 's',
    };

    /// <summary>True for something shaped like a DNS name with a dot (for options validation).</summary>
    public static bool IsPlausibleDomain(string domain) =>
        domain.Length is > 3 and < 254 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
        && !domain.Any(c => char.IsWhiteSpace(c) || c is '@' or '/' or ':');

    /// <summary>Lower-case Unicode form of a host name (punycode labels decoded).</summary>
    public static string Normalize(string host)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Contains("xn--", StringComparison.Ordinal))
        {
            // IdnMapping instances are not documented thread-safe; one per call (only for xn-- names) is cheap.
            try { host = new IdnMapping().GetUnicode(host); }
            catch (ArgumentException) { /* keep the ASCII form: an invalid IDN is still a name to compare */ }
        }
        return host;
    }

    /// <summary>The registrable part of <paramref name="host"/>: "mail.example.co.jp" → "example.co.jp".</summary>
    public static string OrganisationalDomain(string host)
    {
        host = Normalize(host);
        int last = host.LastIndexOf('.');
        if (last <= 0) return host;
        int second = host.LastIndexOf('.', last - 1);
        if (second < 0) return host;
        if (!s_secondLevelSuffixes.Contains(host[(second + 1)..])) return host[(second + 1)..];
        int third = host.LastIndexOf('.', second - 1);
        return third < 0 ? host : host[(third + 1)..];
    }

    /// <summary>True when both hosts belong to the same organisational domain.</summary>
    public static bool SameOrganisation(string a, string b) =>
        string.Equals(OrganisationalDomain(a), OrganisationalDomain(b), StringComparison.Ordinal);

    /// <summary>Confusable skeleton: NFKC, homoglyphs to ASCII, "rn" → "m", "vv" → "w".</summary>
    public static string Skeleton(string domain)
    {
        string folded = domain.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        foreach (char c in folded) builder.Append(s_confusables.TryGetValue(c, out char ascii) ? ascii : c);
        return builder.Replace("rn", "m").Replace("vv", "w").ToString();
    }

    /// <summary>True when <paramref name="candidate"/> is not one of <paramref name="protectedDomains"/> but
    /// looks like one: the same confusable skeleton, or one insertion, deletion, substitution or swap away.</summary>
    public static bool TryMatchLookalike(string candidate, IReadOnlyCollection<string> protectedDomains, out string matched)
    {
        string org = OrganisationalDomain(candidate);
        foreach (string own in protectedDomains)
        {
            if (string.Equals(org, own, StringComparison.Ordinal)) { matched = ""; return false; }
        }
        foreach (string own in protectedDomains)
        {
            // Very short names have too many honest neighbours (ab.jp / ac.jp) to judge by one edit.
            bool closeEnough = own.Length >= 6 && IsOneEditApart(org, own);
            if (closeEnough || string.Equals(Skeleton(org), Skeleton(own), StringComparison.Ordinal))
            {
                matched = own;
                return true;
            }
        }
        matched = "";
        return false;
    }

    /// <summary>Optimal string alignment distance == 1 (one insertion, deletion, substitution or adjacent swap).</summary>
    public static bool IsOneEditApart(string a, string b)
    {
        if (a == b || Math.Abs(a.Length - b.Length) > 1) return false;
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (a.Length == b.Length)
        {
            if (a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))) return true;   // substitution
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2));
        }
        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : b.AsSpan(i + 1).SequenceEqual(a.AsSpan(i));
    }
}
