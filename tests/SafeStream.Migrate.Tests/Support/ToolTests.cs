using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>
/// A test's folder, its legacy files (the sample unless told otherwise) and its database: a SQLite file in the folder,
/// or on PostgreSQL a database of the test's own that does not exist until the tool makes it, dropped afterwards. A
/// suite is written once on this and run against each provider by a thin subclass.
/// </summary>
public abstract class ToolTests : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;

    protected ToolTests(DatabaseProvider provider, bool sample = true)
    {
        _postgres = provider == DatabaseProvider.PostgreSQL ? new PostgresDatabase() : null;
        if (sample)
        {
            Dir.CopyLegacySample();
        }

        Tool = new Tool(Dir, _postgres);
    }

    protected TempFolder Dir { get; } = new();

    protected Tool Tool { get; }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
