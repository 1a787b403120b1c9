using SafeStream.Server.Auth;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>Configuration is checked when the service starts, and a bad value names its key.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData(JwtOptions.LegacyDefaultSecret)]
    public async Task OutsideDevelopmentTheServiceRefusesAnEmptyOrTheLegacyDefaultSecret(string secret)
    {
        var (code, line) = await StartFailureAsync("Jwt:SecretKey", secret, "Production");

        Assert.Equal(1, code);
        Assert.Contains("Jwt:SecretKey", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopmentNoSecretMeansARandomOneSoTheKnownLegacySecretMintsNothing()
    {
        await using var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, Override("Jwt:SecretKey", ""), environment: "Development");
        var token = await app.RegisterAsync("alice");
        var legacy = Tokens.Mint(JwtOptions.LegacyDefaultSecret, "alice", DateTimeOffset.UtcNow.AddMinutes(30));

        var (minted, _) = await app.GetAsync("/auth/me", legacy);
        var (issued, _) = await app.GetAsync("/auth/me", token);

        Assert.Equal(401, minted);
        Assert.Equal(200, issued);
    }

    [Fact]
    public async Task InDevelopmentTheLegacySecretIsUsedWhenAskedForByNameSoLegacyDevTokensWork()
    {
        await using var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, Override("Jwt:SecretKey", JwtOptions.LegacyDefaultSecret), environment: "Development");
        await app.RegisterAsync("alice");
        var legacy = Tokens.Mint(JwtOptions.LegacyDefaultSecret, "alice", DateTimeOffset.UtcNow.AddMinutes(30));

        var (status, _) = await app.GetAsync("/auth/me", legacy);

        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("Limits:MaxMessageChars", "0", "Limits:MaxMessageChars")]
    [InlineData("Limits:SendQueueFrames", "-1", "Limits:SendQueueFrames")]
    [InlineData("Limits:SendQueueBytes", "1000", "Limits:SendQueueBytes")]
    [InlineData("Moderation:Threshold", "1.5", "Moderation:Threshold")]
    [InlineData("Jwt:ExpireMinutes", "0", "Jwt:ExpireMinutes")]
    [InlineData("Passwords:BcryptCost", "40", "Passwords:BcryptCost")]
    [InlineData("RateLimits:LoginBurst", "0", "RateLimits:LoginBurst")]
    [InlineData("Jwt:SecretKey", "short", "Jwt:SecretKey")]
    [InlineData("ReverseProxy:KnownProxies:0", "not-an-address", "ReverseProxy:KnownProxies")]
    public async Task ABadSettingEndsTheStartWithOneLoggedLineNamingItsKeyAndExitCode1(string key, string value, string named)
    {
        var (code, line) = await StartFailureAsync(key, value, "Testing");

        Assert.Equal(1, code);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyFilesWithNoDatabaseYetKeepADatabaseModeFromStartingUntilTheOperatorChoosesAPath()
    {
        _dir.CopyLegacySample();

        var (code, line) = await StartFailureAsync("Storage:StartWithoutImport", "false", "Testing");

        Assert.Equal(1, code);
        Assert.Contains("Storage:Mode=JsonlOnly", line, StringComparison.Ordinal);
        Assert.Contains("Storage:StartWithoutImport=true", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["db/safestream.db"]), "no database was created behind the operator's back");
    }

    private static Dictionary<string, string?> Override(string key, string value) => new() { [key] = value };

    /// <summary>
    /// Runs the service's own entry point, as <c>dotnet run</c> does, with one bad setting on the command line and a
    /// plain-text log file; answers the exit code and the one line the log holds. (Through the test server factory a
    /// failed start sometimes surfaces as an ObjectDisposedException: the entry point disposes the host while the
    /// factory still reads it.)
    /// </summary>
    private async Task<(int Code, string Line)> StartFailureAsync(string key, string value, string environment)
    {
        var log = _dir["logs/start.log"];
        var settings = SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst);
        settings[key] = value;
        settings["Serilog:WriteTo:0:Name"] = "File";
        settings["Serilog:WriteTo:0:Args:path"] = log;
        settings["Serilog:WriteTo:0:Args:outputTemplate"] = "{Level:u3} {Message:lj}{NewLine}{Exception}";
        string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}"), $"--environment={environment}"];
        var main = typeof(Program).Assembly.EntryPoint ?? throw new InvalidOperationException("the server has no entry point");

        // A start that wrongly succeeds would run on: the wait ends the test with a timeout instead.
        var code = await Task.Run(() => (int)main.Invoke(null, [args])!).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var lines = await File.ReadAllLinesAsync(log, Ct);
        var line = Assert.Single(lines, l => l.StartsWith("FTL ", StringComparison.Ordinal));
        Assert.StartsWith("FTL SafeStream did not start: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        return (code, line);
    }
}
