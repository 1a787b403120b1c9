using System.Diagnostics;
using System.Text.Json;
using SafeStream.Migrate.Tests.Support;

namespace SafeStream.Migrate.Tests.Cli;

/// <summary>The tool reads the configuration as the server does, and keeps its backups folder bounded.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly Tool _tool;

    public ConfigurationTests()
    {
        _dir.CopyLegacySample();
        _tool = new Tool(_dir);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Staging", "DualWrite")]
    [InlineData("DOTNET_ENVIRONMENT", "Staging", "DualWrite")]
    [InlineData("ASPNETCORE_ENVIRONMENT", "", "JsonlOnly")]
    public async Task TheEnvironmentsSettingsFileIsReadOverAppSettingsAsTheServerReadsIt(string variable, string environment, string mode)
    {
        _tool.Configure("JsonlOnly");
        await File.WriteAllTextAsync(_dir["appsettings.Staging.json"], """{ "Storage": { "Mode": "DualWrite" } }""", Ct);

        // A child process: the environment variable must not leak into tests running beside this one.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "safestream-migrate.dll"), "status", "--json", .. _tool.Flags])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "";
        start.Environment["DOTNET_ENVIRONMENT"] = "";
        start.Environment[variable] = environment;
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync(Ct);
        await child.WaitForExitAsync(Ct);

        var status = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(mode, status.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task OnlyTheNewestImportBackupsAreKept()
    {
        await File.WriteAllTextAsync(_tool.Config, """{ "Storage": { "Mode": "DualWrite" }, "Migration": { "KeepImportBackups": 2 } }""", Ct);
        await _tool.RunAsync("import"); // no database yet: nothing to back up
        var made = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            made.Add((await _tool.RunAsync("import", "--json")).Json.GetProperty("backup").GetString()!);
        }

        var kept = Directory.GetFiles(_tool.Backups, "*-before-import.db").Order(StringComparer.Ordinal);

        Assert.Equal(made.Skip(1), kept);
    }

    [Fact]
    public async Task ABadBackupSettingIsAUsageErrorNamingTheKey()
    {
        await File.WriteAllTextAsync(_tool.Config, """{ "Migration": { "KeepImportBackups": -1 } }""", Ct);

        var result = await _tool.RunAsync("status");

        Assert.Equal(2, result.ExitCode);
    }
}
