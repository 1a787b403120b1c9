using System.Net.Http.Headers;
using System.Text;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>
/// An escaped half of a surrogate pair is valid JSON but no string: every field that reads one answers the endpoint's
/// client error, never a 500 with an error-level stack trace.
/// </summary>
public sealed class LoneSurrogateTests : IAsyncDisposable
{
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Theory]
    [InlineData("/auth/register", """{"username":"\ud800","password":"pw-123456"}""", 422, "the body is not valid Unicode text")]
    [InlineData("/auth/register", """{"username":"zed","password":"pw\udfff"}""", 422, "the body is not valid Unicode text")]
    [InlineData("/auth/register", """{"username":"zed","password":"pw-123456","email":"a\ud83d@x"}""", 422, "the body is not valid Unicode text")]
    [InlineData("/api/gift", """{"from":"\ud800","gift_id":1,"amount":1}""", 400, "Invalid gift data: the body is not valid Unicode text")]
    [InlineData("/api/gift", """{"from":"root","type":"\udc00","gift_id":1,"amount":1}""", 400, "Invalid gift data: the body is not valid Unicode text")]
    [InlineData("/api/admin/kick", """{"username":"\ud800"}""", 400, "Username required")]
    [InlineData("/api/admin/kick", """{"\ud800x":1,"username":"zed"}""", 400, "Username required")]
    [InlineData("/api/gift", """{"a":{"\udc00":1},"from":"root","gift_id":1,"amount":1}""", 400, "Invalid gift data: the body is not valid Unicode")]
    [InlineData("/auth/register", """{"\ud800":"","username":"zed","password":"pw-123456"}""", 422, "the body is not valid Unicode")]
    [InlineData("/api/admin/mute", """{"username":"\udbff","minutes":1}""", 400, "Username required")]
    [InlineData("/api/admin/unmute", """{"username":"\ud800"}""", 400, "Username required")]
    public async Task ALoneSurrogateInAJsonBodyIsAClientErrorAndLogsNoError(string path, string json, int status, string detail)
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);
        var root = await app.RegisterAdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", root);

        using var response = await app.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(detail, body, StringComparison.Ordinal);
        Assert.Empty(app.Errors.Lines);
        Assert.Equal(200, (await app.GetAsync("/healthz")).Status);
    }
}
