using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.Database;

namespace SafeStream.Migrate.Cli;

/// <summary>The storage configuration the server would use, with the command line's overrides applied, validated.</summary>
/// <param name="KeepImportBackups">Database backups of <c>import</c> kept (the newest; 0 keeps all): <c>Migration:KeepImportBackups</c>.</param>
internal sealed record ToolSettings(StorageOptions Storage, string BackupsPath, int KeepImportBackups = ToolSettings.DefaultKeepImportBackups)
{
    public const int DefaultKeepImportBackups = 5;

    /// <summary>The database for messages: a full path (SQLite) or <c>postgresql://host:port/database</c>.</summary>
    public string Database => DatabaseTarget.Describe(Storage);

    /// <summary>The tool's own lock: beside a SQLite file; for PostgreSQL in the backups folder of this machine.</summary>
    public string LockPath => Storage.Provider == DatabaseProvider.Sqlite
        ? Database + ".migrate.lock"
        : Path.GetFullPath(Path.Combine(BackupsPath, "migrate.lock"));

    /// <summary>Whether the database exists; a PostgreSQL server that does not answer fails the command.</summary>
    public async Task<bool> DatabaseExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await DatabaseTarget.ExistsAsync(Storage, cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            throw new ToolException(ExitCodes.Failed, $"the database {Database} does not answer: {ex.Message}");
        }
    }

    public static ToolSettings Load(ParseResult parse, CommonOptions options)
    {
        // As the server reads them: appsettings.json, then appsettings.{Environment}.json beside it, then the environment.
        var file = Path.GetFullPath(parse.GetValue(options.Config)!);
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } web ? web
            : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
            : "Production";
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file, optional: true)
            .AddJsonFile(Path.Combine(Path.GetDirectoryName(file)!, $"{Path.GetFileNameWithoutExtension(file)}.{environment}{Path.GetExtension(file)}"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var storage = Bind(configuration);

        storage.Provider = parse.GetValue(options.Provider) ?? storage.Provider;
        storage.ConnectionString = parse.GetValue(options.Connection) ?? storage.ConnectionString;
        storage.LegacyPath = parse.GetValue(options.Legacy) ?? storage.LegacyPath;
        storage.UsersFile = parse.GetValue(options.UsersFile) ?? storage.UsersFile;
        storage.LogsPath = parse.GetValue(options.Logs) ?? storage.LogsPath;
        storage.JournalPath = parse.GetValue(options.Journal) ?? storage.JournalPath;
        Validate(storage);
        storage.BackupsPath = parse.GetValue(options.Backups) ?? storage.BackupsPath;
        var keep = configuration.GetValue("Migration:KeepImportBackups", DefaultKeepImportBackups);
        if (keep < 0)
        {
            throw new ToolException(ExitCodes.Usage, "Migration:KeepImportBackups must be 0 (keep all) or more");
        }

        return new ToolSettings(storage, storage.BackupsPath, keep);
    }

    // The server's own registration binds the section and applies the legacy aliases (SAFESTREAM_USERS_FILE,
    // DATABASE_URL); running its configure steps means the tool can never read the settings differently. Its
    // validators are not run here: the phase F guard is the server's to enforce, and `status` reports it instead.
    private static StorageOptions Bind(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSafeStreamStorage(configuration);
        using var provider = services.BuildServiceProvider();
        var storage = new StorageOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<StorageOptions>>())
        {
            if (configure is IConfigureNamedOptions<StorageOptions> named)
            {
                named.Configure(Options.DefaultName, storage);
            }
            else
            {
                configure.Configure(storage);
            }
        }

        foreach (var post in provider.GetServices<IPostConfigureOptions<StorageOptions>>())
        {
            post.PostConfigure(Options.DefaultName, storage);
        }

        return storage;
    }

    private static void Validate(StorageOptions storage)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(storage, new ValidationContext(storage), results, validateAllProperties: true))
        {
            throw new ToolException(ExitCodes.Usage, "invalid Storage configuration: " + string.Join("; ", results.Select(r => r.ErrorMessage)));
        }
    }
}
