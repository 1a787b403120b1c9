using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Server.Threshold;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>
/// A moderator's action on one instance takes effect on the others through the fan-out (the periodic account recheck
/// is slowed to ten minutes here), and <c>viewer_count</c> adds up the live instances.
/// </summary>
public sealed class ModerationAcrossInstancesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AKickOnOneInstanceClosesTheUsersSocketOnAnotherWhichThenRefusesTheToken()
    {
        await using var cluster = Instances.Start(database, 2);
        var admin = await cluster[0].RegisterAdminAsync();
        var token = await cluster[1].RegisterAsync("bob");
        await using var bob = await cluster[1].ConnectAsync("bob", token);

        var (status, _) = await cluster[0].PostAsync("/api/admin/kick", admin, new { username = "bob" });
        var closed = await bob.ReceiveCloseAsync();
        var again = await ChatClient.RefusedStatusAsync(cluster[1].BaseAddress, "bob", token);

        Assert.Equal(200, status);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "Kicked by admin"), closed);
        Assert.Equal(403, again);
    }

    [Fact]
    public async Task AMuteSetOnOneInstanceIsEnforcedOnAnotherAndAnUnmuteLiftsIt()
    {
        await using var cluster = Instances.Start(database, 2);
        var admin = await cluster[0].RegisterAdminAsync();
        await using var bob = await cluster[1].ConnectAsync("bob", await cluster[1].RegisterAsync("bob"));

        await cluster[0].PostAsync("/api/admin/mute", admin, new { username = "bob", minutes = 10 });
        var muted = await FirstAnswerAsync(bob, "muted");
        await cluster[0].PostAsync("/api/admin/unmute", admin, new { username = "bob" });
        var heard = await FirstAnswerAsync(bob, "chat");

        Assert.True(muted.TryGetProperty("muted_until", out _));
        Assert.Equal("bob", heard.GetProperty("user").GetString());
    }

    [Fact]
    public async Task TheThresholdAndAMetricsResetSetOnOneInstanceApplyOnAnother()
    {
        await using var cluster = Instances.Start(database, 2);
        var admin = await cluster[0].RegisterAdminAsync();
        var bobsToken = await cluster[1].RegisterAsync("bob");
        await cluster[1].SayAsync("bob", bobsToken, $"a {MarkerScorer.Marker}");
        var threshold = cluster[1].Services.GetRequiredService<ThresholdState>();

        var (set, _) = await cluster[0].SendAsync(HttpMethod.Patch, "/api/mod/threshold", admin, new { threshold = 0.25 });
        await Instances.EventuallyAsync(() => Task.FromResult(threshold.Current == 0.25), "the threshold reached the other instance");
        var (_, before) = await cluster[1].GetAsync("/metrics");
        await cluster[0].PostAsync("/api/admin/reset_metrics", admin);
        await Instances.EventuallyAsync(async () => (await cluster[1].GetAsync("/metrics")).Body.GetProperty("toxic_pct").GetDouble() == 0, "the reset reached the other instance");

        Assert.Equal(200, set);
        Assert.Equal(100.0, before.GetProperty("toxic_pct").GetDouble());
    }

    [Fact]
    public async Task ViewerCountAddsUpTheLiveInstancesAndDropsOneThatStopped()
    {
        await using var cluster = Instances.Start(database, 2);
        await using var alice = await cluster[0].ConnectAsync("alice", await cluster[0].RegisterAsync("alice"));
        await using var carol = await cluster[0].ConnectAsync("carol", await cluster[0].RegisterAsync("carol"));
        await using var bob = await cluster[1].ConnectAsync("bob", await cluster[1].RegisterAsync("bob"));

        await Instances.EventuallyAsync(async () => await ViewersAsync(cluster[0]) == 3 && await ViewersAsync(cluster[1]) == 3, "both instances count 3 viewers");
        await cluster.StopAsync(1);
        await Instances.EventuallyAsync(async () => await ViewersAsync(cluster[0]) == 2, "the stopped instance's viewer no longer counts");
    }

    private static async Task<int> ViewersAsync(SafeStreamApp app) => (await app.GetAsync("/metrics")).Body.GetProperty("viewer_count").GetInt32();

    /// <summary>Sends until the answer to bob's own message is of <paramref name="type"/> (the action arrives on its own time).</summary>
    private static async Task<System.Text.Json.JsonElement> FirstAnswerAsync(ChatClient bob, string type)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await bob.SendChatAsync("hello?");
            var answer = await bob.ReceiveAsync();
            if (answer.GetProperty("type").GetString() == type)
            {
                return answer;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"never answered {type}: {answer}");
        }
    }
}
