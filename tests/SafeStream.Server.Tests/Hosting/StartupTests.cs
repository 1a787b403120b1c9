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
    public void OutsideDevelopmentTheServiceRefusesAnEmptyOrTheLegacyDefaultSecret(string secret)
    {
        var error = Assert.ThrowsAny<Exception>(() => SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, Override("Jwt:SecretKey", secret), environment: "Production"));

        Assert.Contains("Jwt:SecretKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopmentNoSecretMeansTheLegacyDefaultSoLegacyDevTokensWork()
    {
        await using var app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, Override("Jwt:SecretKey", ""), environment: "Development");
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
    public void ABadSettingFailsTheStartNamingItsKey(string key, string value, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, Override(key, value)));

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Override(string key, string value) => new() { [key] = value };
}
