using System.Text.Json;
using SafeStream.Migrate.Cli;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>What a run of the tool answered.</summary>
public sealed record ToolResult(int ExitCode, string Output)
{
    /// <summary>The JSON document a <c>--json</c> run printed (its last line; notes go before it).</summary>
    public JsonElement Json => JsonDocument.Parse(Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'))).RootElement;
}

/// <summary>
/// The tool run in-process on a test's folder: the legacy files in <c>legacy/</c>, the database in <c>db/</c>,
/// backups in <c>backups/</c>, and a configuration file of the test's own (never the repository's).
/// </summary>
public sealed class Tool(TempFolder dir)
{
    public string Database => dir["db/safestream.db"];

    public string Legacy => dir["legacy"];

    public string Logs => dir["legacy/logs"];

    public string Backups => dir["backups"];

    public string Config => dir["appsettings.json"];

    /// <summary>The common flags pointing at the test's folder.</summary>
    public string[] Flags => ["--config", Config, "--legacy", Legacy, "--connection", $"Data Source={Database}", "--backups", Backups];

    /// <summary>Writes the test's appsettings.json (the Storage section), as an operator would.</summary>
    public void Configure(string mode) =>
        File.WriteAllText(Config, $$"""{ "Storage": { "Mode": "{{mode}}" } }""");

    public async Task<ToolResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await MigrateTool.RunAsync([.. args, .. Flags], ToolConsole.Plain(output), TimeProvider.System, Ct);
        return new ToolResult(exit, output.ToString());
    }
}
