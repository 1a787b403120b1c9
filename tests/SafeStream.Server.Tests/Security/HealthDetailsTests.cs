using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary><c>/healthz</c> is public: the last storage error (paths, exception texts) is for admins.</summary>
public sealed class HealthDetailsTests : IAsyncLifetime
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
    public async Task TheLastStorageErrorIsShownToAnAdminAndOnlyItsTimeToAnyoneElseInTheSameShape()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);
        var root = await app.RegisterAdminAsync();
        var alice = await app.RegisterAsync("alice");
        var database = _dir["db/safestream.db"];
        File.Move(database, database + ".away");
        SqliteConnection.ClearAllPools();
        await app.RegisterAsync("bob"); // spills to the journal: the database failure is recorded
        var error = app.Services.GetRequiredService<IStorageStatus>().Current.LastError;
        Assert.NotNull(error);

        var (_, anonymous) = await app.GetAsync("/healthz");
        var (_, user) = await app.GetAsync("/healthz", alice);
        var (_, admin) = await app.GetAsync("/healthz", root);

        Assert.Contains("Exception: ", admin.GetProperty("storage").GetProperty("last_error").GetString(), StringComparison.Ordinal);
        foreach (var body in new[] { anonymous, user })
        {
            var shown = body.GetProperty("storage").GetProperty("last_error").GetString()!;
            Assert.Equal("healthy", body.GetProperty("status").GetString());
            Assert.EndsWith(" storage error (details with an admin's token)", shown, StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse(shown.Split(' ')[0], CultureInfo.InvariantCulture, out _), shown);
            Assert.Equal(
                admin.GetProperty("storage").EnumerateObject().Select(p => p.Name),
                body.GetProperty("storage").EnumerateObject().Select(p => p.Name));
        }
    }
}
