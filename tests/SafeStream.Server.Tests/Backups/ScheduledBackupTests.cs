using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Backups;
using SafeStream.Storage;
using SafeStream.Storage.Backups;

namespace SafeStream.Server.Tests.Backups;

/// <summary>The server's schedule on a fake clock: a backup once the newest is an interval old, the newest Backup:Keep kept.</summary>
public sealed class ScheduledBackupTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
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
    public async Task TheServerBacksUpEveryIntervalAndKeepsTheNewestOnes()
    {
        _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?>
        {
            ["Backup:IntervalHours"] = "1",
            ["Backup:Keep"] = "2",
            ["Storage:BackupsPath"] = _dir["backups"],
        }, _time);
        await _app.RegisterAsync("alice");
        var schedule = _app.Services.GetRequiredService<ScheduledBackups>();

        var first = await NextLookAsync(schedule, TimeSpan.Zero); // none yet: due at the first look
        var early = await NextLookAsync(schedule, TimeSpan.Zero); // a minute later: not due
        var second = await NextLookAsync(schedule, TimeSpan.FromHours(1));
        var third = await NextLookAsync(schedule, TimeSpan.FromHours(1));
        var kept = BackupFolder.List(_dir["backups"]);

        Assert.True(first);
        Assert.False(early);
        Assert.True(second);
        Assert.True(third);
        Assert.Equal(2, kept.Count);
        Assert.All(kept, b => Assert.Equal("server", b.Manifest.TakenBy));
        Assert.Equal(1, kept[0].Manifest.Rows["users"]);
    }

    /// <summary>Moves the clock by <paramref name="jump"/>, then a minute at a time until the schedule looks; answers whether it took a backup.</summary>
    private async Task<bool> NextLookAsync(ScheduledBackups schedule, TimeSpan jump)
    {
        var looked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLook(bool took) => looked.TrySetResult(took);
        schedule.Looked += OnLook;
        try
        {
            _time.Advance(jump);
            while (!looked.Task.IsCompleted)
            {
                _time.Advance(TimeSpan.FromMinutes(1));
                await Task.WhenAny(looked.Task, Task.Delay(100, Ct)); // the loop may not be waiting on the clock yet
            }

            return await looked.Task;
        }
        finally
        {
            schedule.Looked -= OnLook;
        }
    }
}
