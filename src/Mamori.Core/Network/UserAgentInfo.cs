namespace Mamori.Network;

/// <summary>
/// Browser family and OS from a User-Agent string: the middle and top of the UA → browser → OS hierarchy of the
/// familiarity model. Written by hand because no maintained UA parser is on the package feed (UAParser is not);
/// it only needs to be stable and coarse, not complete: an unknown UA falls back to "other".
/// </summary>
internal readonly record struct UserAgentInfo(string Browser, string Os)
{
    private static readonly (string Token, string Name)[] s_browsers =
    [
        ("PhantomJS", "PhantomJS"), ("Line/", "LINE"), ("EdgA/", "Edge"), ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
        ("YaBrowser/", "Yandex"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"), ("Version/", "Safari"), ("Safari/", "Safari"), ("curl/", "curl"), ("python-requests", "python-requests"),
        ("Go-http-client", "Go"), ("okhttp", "okhttp"), ("Java/", "Java"), ("HeadlessChrome", "HeadlessChrome"),
        ("Wget/", "Wget"), ("libwww-perl", "libwww-perl"), ("Python-urllib", "python-urllib"), ("python-httpx", "httpx"),
        ("aiohttp", "aiohttp"), ("Scrapy", "Scrapy"), ("node-fetch", "node-fetch"), ("axios/", "axios"),
        ("Apache-HttpClient", "Apache-HttpClient"), ("HTTPie", "HTTPie"),
    ];

    /// <summary>Families that are an HTTP library's or a headless browser's default string: what a script sends unless
    /// its author copies a browser's. Not okhttp, the default of many Android apps' own HTTP client.</summary>
    private static readonly HashSet<string> s_automation =
    [
        "curl", "python-requests", "Go", "Java", "HeadlessChrome", "PhantomJS", "Wget", "libwww-perl", "python-urllib",
        "httpx", "aiohttp", "Scrapy", "node-fetch", "axios", "Apache-HttpClient", "HTTPie",
    ];

    /// <summary>Whether the string is a script's (an HTTP library's or a headless browser's default), not a person's browser or app.</summary>
    public bool IsAutomation => s_automation.Contains(Browser);

    /// <summary>The browser families of <see cref="IsAutomation"/>.</summary>
    public static IReadOnlyCollection<string> AutomationFamilies => s_automation;

    private static readonly (string Token, string Name)[] s_systems =
    [
        ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Android", "Android"), ("Windows NT", "Windows"), ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ];

    /// <summary>Classifies a UA; never throws, "other" where nothing matches.</summary>
    public static UserAgentInfo Parse(string? userAgent) =>
        string.IsNullOrEmpty(userAgent) ? new UserAgentInfo("none", "none") : Classify(userAgent);

    /// <summary>
    /// Classifies the text of a UA that is not empty: "other" where nothing matches. No token holds a digit, so the engine
    /// classifies a UA's text without its digits (<c>LoginAssessor</c> keys a UA by that text): every version of a
    /// browser is one entry of its cache.
    /// </summary>
    public static UserAgentInfo Classify(ReadOnlySpan<char> text)
    {
        string browser = "other", os = "other";
        if (text.Contains("HeadlessChrome", StringComparison.Ordinal)) browser = "HeadlessChrome";
        else
        {
            foreach ((string token, string name) in s_browsers)
            {
                if (text.Contains(token, StringComparison.Ordinal)) { browser = name; break; }
            }
        }
        foreach ((string token, string name) in s_systems)
        {
            if (text.Contains(token, StringComparison.Ordinal)) { os = name; break; }
        }
        return new UserAgentInfo(browser, os);
    }
}
