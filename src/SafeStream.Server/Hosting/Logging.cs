using System.Globalization;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace SafeStream.Server.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> section (console and rolling files in <c>appsettings.json</c>), request logging,
/// and a scrubber: passwords are never logged, tokens (the WebSocket carries one in its query string) are masked in
/// every property, whatever a library decides to log, and control characters are escaped, so a request path with
/// <c>%0A</c> in it cannot forge a line of the console log. Log files are the owner's alone (<see cref="PrivateLogFiles"/>).
/// </summary>
internal static partial class Logging
{
    public static IServiceCollection AddSafeStreamLogging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSerilog(
            (provider, logger) =>
            {
                logger
                    .ReadFrom.Configuration(PrivateLogFiles.Apply(configuration))
                    .ReadFrom.Services(provider)
                    .Enrich.FromLogContext()
                    .Enrich.With<Scrubber>()
                    .Filter.ByExcluding(StartupFailure.IsHostsOwnReport);

                // Without a Serilog section (no appsettings.json beside the dll) the service still says what it does.
                if (!configuration.GetSection("Serilog:WriteTo").Exists())
                {
                    logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
                }
            },
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

    /// <summary>Control characters (C0, DEL, C1, line and paragraph separators) as <c>\uXXXX</c>; other text as it is.</summary>
    public static string EscapeControl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(ControlCharacters))
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (ControlCharacters.Contains(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), (char)0x7F, .. Enumerable.Range(0x80, 0x20).Select(i => (char)i), '\u2028', '\u2029']);

    [GeneratedRegex(@"(?<key>(?:access_token|token|password|client_secret)=|Bearer\s+)[^&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();

    private sealed class Scrubber : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? scrubbed = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                if (value is ScalarValue { Value: string text } && EscapeControl(Scrub(text)) is var clean && clean != text)
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
