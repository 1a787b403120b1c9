using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Retention;

/// <summary>Events of the past, written where a server finds them: the database, or a journal left to replay.</summary>
internal static class RetentionSeed
{
    private static readonly EventIdGenerator Ids = new(TimeProvider.System, EventIdGenerator.FirstToolInstance + 2);

    public static StorageOptions Options(TempFolder dir, PostgresDatabase? postgres)
    {
        var options = new StorageOptions { ConnectionString = $"Data Source={dir["db/safestream.db"]}", LegacyPath = dir["legacy"] };
        return postgres is null ? options : postgres.Options(options);
    }

    /// <summary>A server's settings on this provider, with retention at 30 days, small batches, and no daily run during the test.</summary>
    public static Dictionary<string, string?> ServerSettings(TempFolder dir, PostgresDatabase? postgres, string mode = "DatabaseFirst")
    {
        var settings = Support.ServerProcess.Settings(dir, mode);
        foreach (var (key, value) in postgres?.Settings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        settings["Retention:ChatDays"] = "30";
        settings["Retention:GiftDays"] = "30";
        settings["Retention:BatchSize"] = "40";
        settings["Retention:PauseMs"] = "5";
        settings["Retention:RunAtUtc"] = DateTime.UtcNow.AddHours(12).ToString("HH:mm", CultureInfo.InvariantCulture);
        return settings;
    }

    public static List<StorageEvent> Chat(int count, TimeSpan age, string user = "old") =>
        [.. Enumerable.Range(0, count).Select(i => (StorageEvent)new ChatMessage(Ids.Next(), user, $"{user} {i}", false, 0.01, false, DateTimeOffset.UtcNow - age - TimeSpan.FromSeconds(i)))];

    public static List<StorageEvent> Gifts(int count, TimeSpan age) =>
        [.. Enumerable.Range(0, count).Select(i => (StorageEvent)new Gift(Ids.Next(), "giver", 1 + (i % 5), 1, DateTimeOffset.UtcNow - age - TimeSpan.FromSeconds(i)))];

    public static List<StorageEvent> Actions(int count, TimeSpan age) =>
        [.. Enumerable.Range(0, count).Select(i => (StorageEvent)new AdminAction(Ids.Next(), "root", "mute", $"user{i}", null, DateTimeOffset.UtcNow - age - TimeSpan.FromSeconds(i)))];

    public static async Task InsertAsync(StorageOptions options, IReadOnlyList<StorageEvent> events)
    {
        await using var database = MigrationDatabase.Open(options, TimeProvider.System, NullLoggerFactory.Instance, DatabaseCreation.Always);
        await database.ExecuteAsync(new AppendEvents(events), Ct);
    }

    /// <summary>Leaves <paramref name="events"/> in the journal folder, as a server that journalled them during an outage and stopped.</summary>
    public static async Task JournalAsync(StorageOptions options, IReadOnlyList<StorageEvent> events)
    {
        using var journal = new SpillJournal(options.ResolvedJournalPath, FsyncPolicy.EveryWrite, 50, TimeProvider.System, NullLogger<SpillJournal>.Instance);
        await journal.AppendAsync([new AppendEvents(events)]);
    }

    /// <summary>Every stored id of <paramref name="kind"/>.</summary>
    public static async Task<HashSet<long>> IdsAsync(StorageOptions options, EventKind kind)
    {
        await using var database = MigrationDatabase.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        var ids = new HashSet<long>();
        await foreach (var (e, _) in database.StreamEventsAsync(kind, Ct))
        {
            ids.Add(e.Id);
        }

        return ids;
    }

    public static async Task<List<AdminAction>> ActionsAsync(StorageOptions options)
    {
        await using var database = MigrationDatabase.Open(options, TimeProvider.System, NullLoggerFactory.Instance);
        var actions = new List<AdminAction>();
        await foreach (var (e, _) in database.StreamEventsAsync(EventKind.AdminAction, Ct))
        {
            actions.Add((AdminAction)e);
        }

        return actions;
    }
}
