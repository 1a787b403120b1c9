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
public sealed class ArchiveTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly Tool _tool;

    public ArchiveTests()
    {
        _dir.CopyLegacySample();
        _tool = new Tool(_dir);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ArchiveRefusesAfterAFailedVerifyAndLeavesEverything()
    {
        await _tool.RunAsync("import");
        _tool.Configure("DatabaseOnly");
        Db.Execute(_tool.Database, "DELETE FROM admin_actions WHERE action = 'kick'");

        var result = await _tool.RunAsync("archive");

        Assert.Equal(ExitCodes.Differences, result.ExitCode);
        Assert.Contains("archive refused", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(_tool.Logs).Length);
        Assert.True(File.Exists(Path.Combine(_tool.Legacy, "users.json")));
        Assert.Empty(Directory.GetFiles(_tool.Backups, "legacy-*"));
    }

    [Fact]
    public async Task ArchiveRefusesWhileTheServerMayStillUseTheFiles()
    {
        await _tool.RunAsync("import");
        _tool.Configure("DatabaseFirst");

        var result = await _tool.RunAsync("archive");

        Assert.Equal(ExitCodes.NotReady, result.ExitCode);
        Assert.Contains("needs Storage:Mode=DatabaseOnly", result.Output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(_tool.Logs).Length);
    }

    [Fact]
    public async Task ArchivePacksACheckedTarballRemovesTheFilesAndTheRetiredServerStarts()
    {
        var originals = Directory.GetFiles(_tool.Legacy, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(_tool.Legacy, f), File.ReadAllBytes);
        await _tool.RunAsync("import");
        _tool.Configure("DatabaseOnly");
        Assert.Throws<OptionsValidationException>(RetiredServerOptions);

        var result = await _tool.RunAsync("archive");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("\"LegacyRetired\": true", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_tool.Legacy, "users.json")));
        Assert.False(Directory.Exists(_tool.Logs));
        var archive = Assert.Single(Directory.GetFiles(_tool.Backups, "legacy-*.tar.gz"));
        Assert.Equal(originals, ReadArchive(archive).Where(e => e.Key != "MANIFEST.sha256").ToDictionary());
        Assert.Equal(StorageMode.DatabaseOnly, RetiredServerOptions().Mode);
    }

    // The server's own options pipeline, phase F guard included, as it runs at start.
    private StorageOptions RetiredServerOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Mode"] = "DatabaseOnly",
            ["Storage:LegacyRetired"] = "true",
            ["Storage:LegacyPath"] = _tool.Legacy,
            ["Storage:ConnectionString"] = $"Data Source={_tool.Database}",
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
