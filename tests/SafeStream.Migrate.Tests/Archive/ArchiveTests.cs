using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Migrate.Tests.Archive;

/// <summary>Phase F: archive only after a clean verify, check the archive, remove the files; the retired server then starts.</summary>
public abstract class ArchiveTests(DatabaseProvider provider) : ToolTests(provider)
{
    [Fact]
    public async Task ArchiveRefusesAfterAFailedVerifyAndLeavesEverything()
    {
        await Tool.RunAsync("import");
        Tool.Configure("DatabaseOnly");
        await Tool.ExecuteAsync("DELETE FROM admin_actions WHERE action = 'kick'");

        var result = await Tool.RunAsync("archive");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        Assert.Contains("archive refused", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(Tool.Logs).Length);
        Assert.True(File.Exists(Path.Combine(Tool.Legacy, "users.json")));
        Assert.Empty(Directory.GetFiles(Tool.Backups, "legacy-*"));
    }

    [Fact]
    public async Task ArchiveRefusesWhileTheServerMayStillUseTheFiles()
    {
        await Tool.RunAsync("import");
        Tool.Configure("DatabaseFirst");

        var result = await Tool.RunAsync("archive");

        Assert.Equal(ExitCodes.NotReady, result.ExitCode);
        Assert.Contains("needs Storage:Mode=DatabaseOnly", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(Tool.Logs).Length);
    }

    [Fact]
    public async Task ArchivePacksACheckedTarballRemovesTheFilesAndTheRetiredServerStarts()
    {
        var originals = Directory.GetFiles(Tool.Legacy, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(Tool.Legacy, f), File.ReadAllBytes);
        await Tool.RunAsync("import");
        Tool.Configure("DatabaseOnly");
        Assert.Throws<OptionsValidationException>(RetiredServerOptions);

        var result = await Tool.RunAsync("archive");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("\"LegacyRetired\": true", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Tool.Legacy, "users.json")));
        Assert.False(Directory.Exists(Tool.Logs));
        var archive = Assert.Single(Directory.GetFiles(Tool.Backups, "legacy-*.tar.gz"));
        Assert.Equal(originals, ReadArchive(archive).Where(e => e.Key != "MANIFEST.sha256").ToDictionary());
        Assert.Equal(StorageMode.DatabaseOnly, RetiredServerOptions().Mode);
    }

    // The server's own options pipeline, phase F guard included, as it runs at start.
    private StorageOptions RetiredServerOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(Tool.DatabaseSettings)
        {
            ["Storage:Mode"] = "DatabaseOnly",
            ["Storage:LegacyRetired"] = "true",
            ["Storage:LegacyPath"] = Tool.Legacy,
        }).Build();
        var services = new ServiceCollection();
        services.AddSafeStreamStorage(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<StorageOptions>>().Value;
    }

    private static Dictionary<string, byte[]> ReadArchive(string path)
    {
        var entries = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }

        return entries;
    }
}

public sealed class ArchiveOnSqlite() : ArchiveTests(DatabaseProvider.Sqlite);

public sealed class ArchiveOnPostgres() : ArchiveTests(DatabaseProvider.PostgreSQL);
