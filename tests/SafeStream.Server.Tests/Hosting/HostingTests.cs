using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using SafeStream.Server.Hosting;

namespace SafeStream.Server.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public void LegacyEnvironmentNamesStandForTheirKeysAboveAppSettings()
    {
        var environment = new System.Collections.Hashtable { ["TOXIC_THRESHOLD"] = "0.8", ["JWT_EXPIRE_MINUTES"] = "60", ["UNRELATED"] = "x" };
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Threshold"] = "0.6",
            ["Jwt:ExpireMinutes"] = "30",
        });

        var configuration = builder.AddLegacyEnvironmentAliases(environment).Build();

        Assert.Equal("0.8", configuration["Moderation:Threshold"]);
        Assert.Equal("60", configuration["Jwt:ExpireMinutes"]);
        Assert.Null(configuration["UNRELATED"]);
    }

    [Fact]
    public void SectionVariablesStillWinOverTheLegacyNames()
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();

        builder.AddLegacyEnvironmentAliases(new System.Collections.Hashtable { ["TOXIC_THRESHOLD"] = "0.8" });

        Assert.IsType<Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource>(builder.Sources[0]);
        Assert.IsType<Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource>(builder.Sources[1]);
    }

    [Theory]
    [InlineData("Development", "http://localhost:8000")]
    [InlineData("Production", "http://*:8000")]
    public void WithoutAConfiguredAddressDevelopmentListensOnLoopbackOnly(string environment, string expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });

        builder.WebHost.UseLegacyPortByDefault(builder.Configuration, builder.Environment);

        Assert.Equal(expected, builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void AConfiguredAddressIsKeptInDevelopmentToo()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = ["--urls=http://0.0.0.0:9000"] });

        builder.WebHost.UseLegacyPortByDefault(builder.Configuration, builder.Environment);

        Assert.Equal("http://0.0.0.0:9000", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("/\n[05:00:00 INF] Fake: forged", "/\\u000A[05:00:00 INF] Fake: forged")]
    [InlineData("tab\there\r\u0085\u2028", "tab\\u0009here\\u000D\\u0085\\u2028")]
    [InlineData("café ☕ plain", "café ☕ plain")]
    public void ControlCharactersAreEscapedInLogText(string text, string expected) => Assert.Equal(expected, Logging.EscapeControl(text));

    [Theory]
    [InlineData("GET /ws/alice?token=eyJhbGciOi.abc.def HTTP/1.1", "GET /ws/alice?token=*** HTTP/1.1")]
    [InlineData("?a=1&access_token=xyz&b=2", "?a=1&access_token=***&b=2")]
    [InlineData("Authorization: Bearer eyJabc.def", "Authorization: Bearer ***")]
    [InlineData("username=alice&password=secret123", "username=alice&password=***")]
    [InlineData("nothing to hide", "nothing to hide")]
    public void SecretsAreMaskedInLogText(string text, string expected) => Assert.Equal(expected, Logging.Scrub(text));
}
