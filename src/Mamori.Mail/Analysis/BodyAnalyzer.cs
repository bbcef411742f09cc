using System.Buffers;
using System.Text.RegularExpressions;
using Mamori.Mail.Policy;
using MimeKit.Text;

namespace Mamori.Mail.Analysis;

/// <summary>Checks on the readable text: passwords given for attachments, account-suspension lures, links
/// whose text names another host than their target.</summary>
internal static partial class BodyAnalyzer
{
    /// <summary>Most characters of body text examined; lures and passwords sit at the top of a mail.</summary>
    public const int MaxTextChars = 256 * 1024;
    private const int MaxLinks = 1_000;

    // Cheap gates: one vectorised multi-string search (SearchValues) decides whether a regex needs to run.
    // Running the regexes on every text cost more than MIME parsing on the ham corpus.
    private static readonly SearchValues<string> s_passwordWords = SearchValues.Create(
        ["パスワード", "ﾊﾟｽﾜｰﾄﾞ", "暗証番号", "解凍キー", "解凍用", "password", "passwd", "pass word", "pw:", "pw：", "pwd:", "pwd：", "pw =", "pw=", "pw :"],
        StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> s_lureWords = SearchValues.Create(
        ["停止", "制限", "凍結", "ロック", "無効", "本人確認", "お客様情報", "suspended", "locked", "disabled", "limited", "on hold",
         "verify your", "confirm your", "update your"],
        StringComparison.OrdinalIgnoreCase);

    public static void AnalyzeText(string text, ScanContext context)
    {
        int at = text.AsSpan().IndexOfAny(s_passwordWords);
        if (at >= 0)
        {
            int end = text.AsSpan(at).IndexOfAny(" \t\r\n:：=は");
            string keyword = text.Substring(at, end <= 0 ? Math.Min(10, text.Length - at) : end);
            context.Add(MailFindingCode.PasswordInBody, $"the text mentions a password ('{keyword}')");
            foreach (Match candidate in PasswordValue().Matches(text))
            {
                if (context.PasswordCandidates.Count >= context.Options.MaxPasswordCandidates) break;
                string value = candidate.Groups["pw"].Value.TrimEnd('.', ',', ')', '"', '\'', ']', '>');
                if (value.Length > 0 && !context.PasswordCandidates.Contains(value)) context.PasswordCandidates.Add(value);
            }
        }
        if (text.AsSpan().IndexOfAny(s_lureWords) >= 0 && SuspensionLure().Match(text) is { Success: true } lure && UrlPattern().IsMatch(text))
            context.Add(MailFindingCode.AccountSuspensionLure, $"the text says '{Shorten(lure.Value)}' next to a link");
    }

    /// <summary>Walks the anchors of an HTML body with MimeKit's tokenizer and compares each anchor's visible
    /// host with its target host.</summary>
    /// <returns>The visible text of the body (without script and style), for the text checks.</returns>
    public static string AnalyzeHtml(string html, ScanContext context, IReadOnlyCollection<string> protectedDomains)
    {
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        string? href = null;
        var anchorText = new System.Text.StringBuilder();
        var visible = new System.Text.StringBuilder();
        int links = 0;
        bool hidden = false;
        while (tokenizer.ReadNextToken(out HtmlToken? token))
        {
            if (token is HtmlTagToken { Id: HtmlTagId.Script or HtmlTagId.Style } block) { hidden = !block.IsEndTag; continue; }
            if (token is HtmlTagToken { Id: HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.TR }) { visible.Append('\n'); continue; }
            if (token is HtmlDataToken text && !hidden && visible.Length < MaxTextChars) visible.Append(text.Data);
            if (token is HtmlTagToken tag && tag.Id == HtmlTagId.A && links < MaxLinks)
            {
                if (!tag.IsEndTag)
                {
                    href = tag.Attributes.FirstOrDefault(a => a.Id == HtmlAttributeId.Href)?.Value;
                    anchorText.Clear();
                }
                else if (href is not null)
                {
                    links++;
                    CompareLink(href, anchorText.ToString(), context, protectedDomains);
                    href = null;
                }
            }
            else if (href is not null && token is HtmlDataToken data && anchorText.Length < 512)
            {
                anchorText.Append(data.Data);
            }
        }
        return visible.ToString();
    }

    private static void CompareLink(string href, string text, ScanContext context, IReadOnlyCollection<string> protectedDomains)
    {
        if (!Uri.TryCreate(href.Trim(), UriKind.Absolute, out Uri? target) || target.Scheme is not ("http" or "https")) return;
        HeaderAnalyzer.CheckLookalike(target.Host, "link", context, protectedDomains);
        if (context.Has(MailFindingCode.LinkTextMismatch)) return;
        Match shown = VisibleHost().Match(text.Trim());
        if (!shown.Success) return;
        string shownHost = shown.Groups["host"].Value;
        if (!DomainNames.SameOrganisation(shownHost, target.Host))
            context.Add(MailFindingCode.LinkTextMismatch, $"a link shows {shownHost} but opens {target.Host}");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    // The value after the keyword: ASCII, 1–64 characters, maybe quoted or after は/：/=/a line break.
    [GeneratedRegex(@"(?:パスワード|ﾊﾟｽﾜｰﾄﾞ|暗証番号|解凍(?:キー|用)|\bpass(?:word|wd)\b|\bpwd?)[^\S\n]*(?:は|：|:|=|\([^)\n]{0,40}\)|（[^）\n]{0,40}）)?[\s「『""'【\[]*(?<pw>[\x21-\x7E]{1,64})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordValue();

    [GeneratedRegex(@"(?:アカウント|口座|ご利用|サービス|カード)[^。\n]{0,30}(?:停止|制限|凍結|ロック|無効)|(?:本人確認|お客様情報の確認)[^。\n]{0,20}(?:お願い|必要|ください)|account[^.\n]{0,40}\b(?:suspended|locked|disabled|limited|on hold)\b|(?:verify|confirm|update) your (?:account|identity|billing|payment)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SuspensionLure();

    [GeneratedRegex(@"https?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"^(?:https?://)?(?<host>(?:[a-z0-9\-]+\.)+(?:[a-z]{2,63}|xn--[a-z0-9\-]+))(?::\d+)?(?:[/?#]\S*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VisibleHost();
}
