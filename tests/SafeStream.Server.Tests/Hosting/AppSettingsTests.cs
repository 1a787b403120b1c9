using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Threshold;
using Serilog;

namespace SafeStream.Server.Tests.Hosting;

/// <summary>The operator's <c>appsettings.json</c> at the repository root is what <c>dotnet run</c> uses: it must stay valid.</summary>
public sealed class AppSettingsTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddJsonFile(RepositoryFile("appsettings.json")).Build();

    [Fact]
    public void TheServerSectionsBindAndValidateWithTheDefaultsOfTheIssue()
    {
        var jwt = Bind<JwtOptions>(JwtOptions.SectionName);
        var limits = Bind<LimitsOptions>(LimitsOptions.SectionName);
        var moderation = Bind<ModerationThresholdOptions>(ModerationThresholdOptions.SectionName);
        var passwords = Bind<PasswordOptions>(PasswordOptions.SectionName);
        var chat = Bind<ChatOptions>(ChatOptions.SectionName);

        Assert.Equal("", jwt.SecretKey); // never a secret in the repository; Development falls back to the legacy default
        Assert.Equal(30, jwt.ExpireMinutes);
        Assert.Equal(500, limits.MaxMessageChars);
        Assert.Equal(1000, limits.MaxConnections);
        Assert.Equal(0.6, moderation.Threshold);
        Assert.Equal(12, passwords.BcryptCost);
        Assert.False(chat.AnonymousViewers); // a socket without a token is refused unless the operator turns this on
        Assert.Equal(500, chat.ReplayLimit);
    }

    [Fact]
    public void TheSerilogSectionBuildsALogger()
    {
        using var folder = new TempFolder();
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(Configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Serilog:WriteTo:File:Args:path"] = folder["logs/safestream-.jsonl"] })
            .Build();

        using var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration).CreateLogger();
        logger.Information("hello {Name}", "operator");

        Assert.Single(Directory.EnumerateFiles(folder["logs"]));
    }

    private static T Bind<T>(string section)
        where T : new()
    {
        var options = new T();
        Configuration.GetSection(section).Bind(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeStream.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        throw new FileNotFoundException($"SafeStream.sln not found above {AppContext.BaseDirectory}");
    }
}
