using System.Net.Http.Headers;

namespace SafeStream.Server.Tests.Security;

/// <summary>The dashboard's live feed, read as raw server-sent events until the server ends it.</summary>
public sealed class FeedClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private FeedClient(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    public static async Task<FeedClient> OpenAsync(SafeStreamApp app, string token)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard/feed");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var feed = new FeedClient(response, reader);
        await feed.ReadUntilAsync("event: ready");
        return feed;
    }

    /// <summary>Reads lines until <paramref name="line"/>; fails if the feed ends first.</summary>
    public async Task ReadUntilAsync(string line)
    {
        using var timeout = Timeout();
        while (await _reader.ReadLineAsync(timeout.Token) is { } read)
        {
            if (read == line)
            {
                return;
            }
        }

        Assert.Fail($"The feed ended before '{line}'.");
    }

    /// <summary>Completes when the server ends the feed (fails after a generous timeout).</summary>
    public async Task EndedAsync()
    {
        using var timeout = Timeout();
        while (await _reader.ReadLineAsync(timeout.Token) is not null)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return timeout;
    }
}
