using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeStream.Storage;

namespace SafeStream.Server.Hosting;

internal static class HostingExtensions
{
    public const string DefaultUrl = "http://*:8000";

    /// <summary>Development listens on loopback only: a quick start on a laptop is not a server for the whole network.</summary>
    public const string DevelopmentUrl = "http://localhost:8000";

    /// <summary>
    /// Port 8000 (the legacy port) unless <c>Urls</c>, <c>--urls</c>, <c>ASPNETCORE_URLS</c>/<c>_HTTP_PORTS</c> or Kestrel
    /// endpoints say otherwise: on every interface, or on loopback only in Development.
    /// </summary>
    public static IWebHostBuilder UseLegacyPortByDefault(this IWebHostBuilder webHost, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(webHost);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        return configured ? webHost : webHost.UseUrls(environment.IsDevelopment() ? DevelopmentUrl : DefaultUrl);
    }

    /// <summary>HTTP bodies through the source-generated <see cref="ApiJsonContext"/>: snake_case, raw UTF-8, legacy floats and times.</summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.Configure<JsonOptions>(options =>
        {
            var json = options.SerializerOptions;
            json.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.Converters.Add(new PythonFloatConverter());
            json.Converters.Add(new WireTimeConverter());
        });
}
