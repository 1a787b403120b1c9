using System.Text.RegularExpressions;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace SafeStream.Server.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> section (console and rolling files in <c>appsettings.json</c>), request logging,
/// and a scrubber: passwords are never logged, and tokens (the WebSocket carries one in its query string) are
/// masked in every property, whatever a library decides to log.
/// </summary>
public static partial class Logging
{
    public static IServiceCollection AddSafeStreamLogging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSerilog((provider, logger) => logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider)
            .Enrich.FromLogContext()
            .Enrich.With<TokenScrubber>(),
            preserveStaticLogger: true);

    public static IApplicationBuilder UseSafeStreamRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This app's logger, not the static one (left alone so that several hosts can share a process).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            // RequestPath carries no query string, so the WebSocket token stays out of it.
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("User", http.User.Identity?.Name);
        });

    /// <summary>Masks <c>token=…</c>, <c>access_token=…</c>, <c>password=…</c> and bearer tokens in string properties.</summary>
    public static string Scrub(string text) => text.Contains('=') || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
        ? Secrets().Replace(text, m => $"{m.Groups["key"].Value}***")
        : text;

    [GeneratedRegex(@"(?<key>(?:access_token|token|password|client_secret)=|Bearer\s+)[^&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();

    private sealed class TokenScrubber : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? scrubbed = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                if (value is ScalarValue { Value: string text } && Scrub(text) is var clean && clean != text)
                {
                    (scrubbed ??= []).Add(new LogEventProperty(name, new ScalarValue(clean)));
                }
            }

            foreach (var property in scrubbed ?? [])
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }
}
