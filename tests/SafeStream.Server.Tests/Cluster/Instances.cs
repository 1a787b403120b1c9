using System.Diagnostics;
using System.Text.Json;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Cluster;

/// <summary>
/// Several in-process servers on one PostgreSQL database, each with its own folder (journal, legacy files) and its
/// own instance number, as several machines behind a load balancer would be. The account recheck is slowed to ten
/// minutes, so whatever reaches another instance within a test came through the fan-out.
/// </summary>
public sealed class Instances : IAsyncDisposable
{
    private readonly List<TempFolder> _dirs = [];
    private readonly List<SafeStreamApp?> _apps = [];

    private Instances()
    {
    }

    public SafeStreamApp this[int index] => _apps[index] ?? throw new InvalidOperationException($"instance {index} was stopped");

    public static Instances Start(PostgresDatabase database, int count, StorageMode mode = StorageMode.DatabaseOnly, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var instances = new Instances();
        for (var i = 0; i < count; i++)
        {
            var settings = new Dictionary<string, string?>(database.Settings) { ["Limits:AccountRecheckSeconds"] = "600" };
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            var dir = new TempFolder();
            instances._dirs.Add(dir);
            instances._apps.Add(SafeStreamApp.Start(dir, mode, settings));
        }

        return instances;
    }

    /// <summary>Stops one instance cleanly (its sockets close with 1001, its presence row goes).</summary>
    public async Task StopAsync(int index)
    {
        await this[index].DisposeAsync();
        _apps[index] = null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        foreach (var dir in _dirs)
        {
            dir.Dispose();
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds (the effect of a fan-out has no signal a test can await).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(deadline.Elapsed < (within ?? TimeSpan.FromSeconds(15)), $"never happened: {what}");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Reads chat frames until <paramref name="count"/> have arrived; other frames (gifts, errors) are kept too.</summary>
    public static async Task<List<JsonElement>> ChatFramesAsync(ChatClient viewer, int count)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var frames = new List<JsonElement>();
        while (frames.Count(f => f.TryGetProperty("type", out var t) && t.GetString() == "chat") < count)
        {
            frames.Add(await viewer.ReceiveAsync());
        }

        return frames;
    }
}
