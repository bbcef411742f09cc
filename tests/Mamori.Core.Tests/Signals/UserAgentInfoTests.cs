using Mamori.Network;

namespace Mamori.Core.Tests.Signals;

public sealed class UserAgentInfoTests
{
    [Theory]
    [InlineData("python-requests/2.31.0", "python-requests")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("Go-http-client/2.0", "Go")]
    [InlineData("Python-urllib/3.11", "python-urllib")]
    [InlineData("Python/3.11 aiohttp/3.9.3", "aiohttp")]
    [InlineData("Wget/1.21.3", "Wget")]
    [InlineData("axios/1.6.8", "axios")]
    [InlineData("Apache-HttpClient/4.5.14 (Java/17.0.10)", "Java")]   // the JDK token is matched first: a script either way
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", "HeadlessChrome")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", "PhantomJS")]
    public void ScriptDefaults_AreAutomation(string userAgent, string family)
    {
        UserAgentInfo info = UserAgentInfo.Parse(userAgent);

        Assert.Equal(family, info.Browser);
        Assert.True(info.IsAutomation);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36")]
    [InlineData("okhttp/4.12.0")]   // many Android apps' own HTTP client
    [InlineData("MyBank/5.2 (iPhone; iOS 17.4)")]
    [InlineData("")]
    [InlineData(null)]
    public void BrowsersAppsAndNothing_AreNotAutomation(string? userAgent)
    {
        Assert.False(UserAgentInfo.Parse(userAgent).IsAutomation);
    }
}
