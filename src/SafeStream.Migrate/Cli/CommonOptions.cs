using System.CommandLine;
using SafeStream.Storage;

namespace SafeStream.Migrate.Cli;

/// <summary>Where things are: the flags every command takes, each overriding the configuration it names.</summary>
internal sealed class CommonOptions
{
    public Option<string> Config { get; } = new("--config")
    {
        Description = "The server's configuration file (environment variables such as Storage__ConnectionString apply on top)",
        DefaultValueFactory = _ => "appsettings.json",
        Recursive = true,
    };

    public Option<DatabaseProvider?> Provider { get; } = new("--provider")
    {
        Description = "Sqlite or PostgreSQL (overrides Storage:Provider; DATABASE_URL=postgresql://… sets it too)",
        Recursive = true,
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Connection string: \"Data Source=data/safestream.db\" for SQLite, \"Host=…;Database=…\" for PostgreSQL (overrides Storage:ConnectionString)",
        Recursive = true,
    };

    public Option<string?> Legacy { get; } = new("--legacy")
    {
        Description = "Folder of the legacy files: users.json, logs/, journal/ (overrides Storage:LegacyPath)",
        Recursive = true,
    };

    public Option<string?> UsersFile { get; } = new("--users-file")
    {
        Description = "The legacy users.json (overrides Storage:UsersFile)",
        Recursive = true,
    };

    public Option<string?> Logs { get; } = new("--logs")
    {
        Description = "Folder of the chat_*.jsonl logs (overrides Storage:LogsPath)",
        Recursive = true,
    };

    public Option<string?> Journal { get; } = new("--journal")
    {
        Description = "Folder of the server's spill journal (overrides Storage:JournalPath)",
        Recursive = true,
    };

    public Option<string> Backups { get; } = new("--backups")
    {
        Description = "Folder for database backups, rejects files and archives (overrides Storage:BackupsPath, default backups)",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Config, Provider, Connection, Legacy, UsersFile, Logs, Journal, Backups];
}
