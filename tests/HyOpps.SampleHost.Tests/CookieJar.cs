namespace HyOpps.SampleHost.Tests;

/// <summary>The test clients keep no cookies: this does, for the sign-in flow.</summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public bool Has(string name) => _cookies.ContainsKey(name);

    /// <summary>Returns a copy, as an attacker would keep a stolen cookie while the browser moves on.</summary>
    public CookieJar Copy()
    {
        var copy = new CookieJar();
        foreach (var (name, value) in _cookies)
        {
            copy._cookies[name] = value;
        }

        return copy;
    }

    public void Take(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            var pair = value.Split(';', 2)[0].Split('=', 2);
            if (value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(pair[0]);
            }
            else
            {
                _cookies[pair[0]] = pair[1];
            }
        }
    }

    public void Apply(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }
    }
}
