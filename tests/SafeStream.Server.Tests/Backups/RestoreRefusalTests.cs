using System.Security.Cryptography;
using System.Text.Json;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Backups;

/// <summary><c>restore</c> moves nothing while a server holds the storage, nor for a backup that is not what its manifest says.</summary>
public sealed class RestoreRefusalTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Database => _dir["db/safestream.db"];

    [Fact]
    public async Task RestoreIsRefusedWhileAServerRunsAndTheRefusalNamesIt()
    {
        var settings = ServerProcess.Settings(_dir, "DatabaseFirst");
        await using var server = await ServerProcess.StartAsync(_dir, settings);
        await server.RegisterAsync("alice");
        var backup = await ServerProcess.RunToolAsync(_dir, settings, "backup", "--json");
        var file = JsonDocument.Parse(backup.Output).RootElement.GetProperty("file").GetString()!;

        var restore = await ServerProcess.RunToolAsync(_dir, settings, "restore", file);
        var health = await server.HealthAsync();

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains($"pid {server.Id}", restore.Error, StringComparison.Ordinal);
        Assert.Contains("stop it first", restore.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_dir["db"], "*before-restore*"));
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ABackupWithOneByteChangedIsRefusedBeforeAnythingMoves()
    {
        var settings = ServerProcess.Settings(_dir, "DatabaseFirst");
        string file;
        await using (var server = await ServerProcess.StartAsync(_dir, settings))
        {
            await server.RegisterAsync("bob");
            var backup = await ServerProcess.RunToolAsync(_dir, settings, "backup", "--json");
            Assert.True(backup.ExitCode == 0, backup.Error);
            file = JsonDocument.Parse(backup.Output).RootElement.GetProperty("file").GetString()!;
        }

        var before = SHA256.HashData(await File.ReadAllBytesAsync(Database, Ct));
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes, Ct);

        var restore = await ServerProcess.RunToolAsync(_dir, settings, "restore", file);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not the file its manifest describes", restore.Error, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(Database, Ct)));
        Assert.Empty(Directory.EnumerateFiles(_dir["db"], "*before-restore*"));
        Assert.False(File.Exists(Database + ".restoring"));
    }
}
