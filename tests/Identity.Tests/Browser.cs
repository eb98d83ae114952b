namespace MachCommerce.Identity.Tests;

/// <summary>
/// The identity service's pages as a person's browser uses them: it keeps cookies, opens a page with a form and
/// sends the form with its hidden fields (the antiforgery token among them); redirects are answers, not followed.
/// </summary>
public sealed partial class Browser(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new CookieJar { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } }) { BaseAddress = address };

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    public Task<string> GetStringAsync(string url) => _http.GetStringAsync(url);

    /// <summary>Opens the page with the form and sends it with its hidden fields and <paramref name="fields"/>.</summary>
    public async Task<(HttpStatusCode Status, string Page)> SubmitAsync(string pageUrl, Dictionary<string, string> fields)
    {
        var (status, page, _) = await SubmitWithLocationAsync(pageUrl, fields);
        return (status, page);
    }

    /// <summary>As <see cref="SubmitAsync"/>, with where a redirect leads.</summary>
    public async Task<(HttpStatusCode Status, string Page, string? Location)> SubmitWithLocationAsync(string pageUrl, Dictionary<string, string> fields, int form = 0)
    {
        var html = await _http.GetStringAsync(pageUrl);
        return await PostFormAsync(html, fields, form);
    }

    /// <summary>Sends the <paramref name="form"/>th form of a page already at hand.</summary>
    public async Task<(HttpStatusCode Status, string Page, string? Location)> PostFormAsync(string html, Dictionary<string, string> fields, int form = 0)
    {
        var forms = Form().Matches(html);
        Assert.True(forms.Count > form, $"no form {form} on the page: {html}");
        var chosen = forms[form];
        foreach (Match hidden in HiddenField().Matches(chosen.Groups[2].Value))
        {
            fields.TryAdd(WebUtility.HtmlDecode(hidden.Groups[1].Value), WebUtility.HtmlDecode(hidden.Groups[2].Value));
        }

        using var response = await _http.PostAsync(WebUtility.HtmlDecode(chosen.Groups[1].Value), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    /// <summary>The sign-in form's answer in a fresh browser: 302 when signed in, 401 otherwise (the same for every reason).</summary>
    public static async Task<HttpStatusCode> SignInAsync(Uri address, string email, string password)
    {
        using var browser = new Browser(address);
        var (status, _) = await browser.SubmitAsync("/account/login", new() { ["email"] = email, ["password"] = password });
        return status;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\">(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    /// <summary>
    /// Keeps the cookies the pages set and sends them back. The service sees its public https issuer address (as
    /// behind the gateway), so its cookies are Secure, which a CookieContainer would not send over the tests' loopback http.
    /// </summary>
    private sealed class CookieJar : DelegatingHandler
    {
        private readonly Dictionary<string, string> _cookies = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await base.SendAsync(request, cancellationToken);
            foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = cookie.Split(';')[0].Split('=', 2);
                if (pair[1].Length == 0)
                {
                    _cookies.Remove(pair[0]); // deleted (signed out, or a step that is over)
                }
                else
                {
                    _cookies[pair[0]] = pair[1];
                }
            }

            return response;
        }
    }
}
