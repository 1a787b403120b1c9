using SafeStream.Storage;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>
/// OpenTelemetry metrics in the Prometheus format at <c>/prometheus</c>; the legacy <c>/metrics</c> is untouched. A meter
/// listener hears every meter of its name in the process, so these exact counts run alone, not beside other servers.
/// </summary>
[Collection(nameof(TelemetryTests))]
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task PrometheusScrapesChatDeliveryStorageAndRateLimitMetricsBesideTheLegacyMetrics()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?> { ["Limits:GiftsPerSecond"] = "1", ["Limits:GiftBurst"] = "1" });
        var alice = await app.RegisterAsync("alice");
        await using var socket = await app.ConnectAsync("alice", alice);
        await using var bob = await app.ConnectAsync("bob", await app.RegisterAsync("bob"));
        await socket.SendChatAsync("hello");
        await socket.ReceiveAsync();
        await bob.ReceiveAsync();
        await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 });
        await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 }); // refused: the bucket holds one

        var text = await app.Http.GetStringAsync("/prometheus", Ct);
        var legacy = await app.Http.GetStringAsync("/metrics", Ct);

        const string Scope = "{otel_scope_name=\"SafeStream\"}";
        Assert.Contains($"safestream_chat_messages_accepted_total{Scope} 1", text, StringComparison.Ordinal);
        Assert.Matches(@"safestream_chat_frames_delivered_total\{[^}]*\} [2-9]", text);
        Assert.Contains($"safestream_chat_delivery_duration_seconds_count{Scope} 1", text, StringComparison.Ordinal);
        Assert.Contains($"safestream_chat_sockets_open{Scope} 2", text, StringComparison.Ordinal);
        Assert.Contains($"safestream_storage_breaker_state{Scope} 0", text, StringComparison.Ordinal);
        Assert.Contains($"safestream_storage_journal_backlog{Scope} 0", text, StringComparison.Ordinal);
        Assert.Contains($"safestream_chat_slow_client_drops_total{Scope} 0", text, StringComparison.Ordinal);
        Assert.Contains($"safestream_storage_replayed_total{Scope} 0", text, StringComparison.Ordinal);
        Assert.Contains("safestream_rate_limit_refusals_total{otel_scope_name=\"SafeStream\",limit=\"gift\"} 1", text, StringComparison.Ordinal);
        foreach (var name in new[] { "safestream_storage_shadow_mismatches_total", "safestream_chat_viewers", "http_server_request_duration_seconds" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        Assert.StartsWith("{\"viewer_count\":2,", legacy, StringComparison.Ordinal);
    }
}
