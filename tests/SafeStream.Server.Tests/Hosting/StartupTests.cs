using System.Reflection;
using System.Runtime.ExceptionServices;
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
        var error = await StartFailureAsync("Jwt:SecretKey", secret, "Production");

        Assert.Contains("Jwt:SecretKey", error.ToString(), StringComparison.Ordinal);
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
    [InlineData("Limits:MaxMessageChars", "0", "MaxMessageChars")]
    [InlineData("Limits:SendQueueFrames", "-1", "SendQueueFrames")]
    [InlineData("Moderation:Threshold", "1.5", "Threshold")]
    [InlineData("Jwt:ExpireMinutes", "0", "ExpireMinutes")]
    [InlineData("Passwords:BcryptCost", "40", "BcryptCost")]
    [InlineData("Jwt:SecretKey", "short", "Jwt:SecretKey")]
    public async Task ABadSettingFailsTheStartNamingItsKey(string key, string value, string named)
    {
        var error = await StartFailureAsync(key, value, "Testing");

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Override(string key, string value) => new() { [key] = value };

    /// <summary>
    /// Runs the service's own entry point, as <c>dotnet run</c> does, with one bad setting on the command line and
    /// answers why it stopped. (Through the test server factory a failed start sometimes surfaces as an
    /// ObjectDisposedException: the entry point disposes the host while the factory still reads it.)
    /// </summary>
    private async Task<Exception> StartFailureAsync(string key, string value, string environment)
    {
        var settings = SafeStreamApp.Settings(_dir, StorageMode.DatabaseFirst);
        settings[key] = value;
        string[] args = [.. settings.Select(s => $"--{s.Key}={s.Value}"), $"--environment={environment}"];
        var main = typeof(Program).Assembly.EntryPoint ?? throw new InvalidOperationException("the server has no entry point");

        var run = Task.Run(() =>
        {
            try
            {
                return (int)main.Invoke(null, [args])!; // the synchronous Main the compiler wraps around the async one
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        });

        // A start that wrongly succeeds would run on: the wait ends the test with a timeout instead.
        return await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
    }
}
