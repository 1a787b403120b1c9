using Microsoft.Extensions.Options;

namespace SafeStream.Server.Hosting;

/// <summary>
/// An operator's typo must never take chat down. Options are validated at start (a bad value stops the start, naming
/// its key); a value saved into <c>appsettings.json</c> while the service runs that fails its validation, or does not
/// even bind (an unknown mode), is logged once, shown on <c>/healthz</c> and <c>/readyz</c>, and ignored: the service
/// goes on with the last valid options until the file is fixed. Without this, the reload threw from every
/// <c>IOptionsMonitor.CurrentValue</c> and a background service's failure stopped the host.
/// </summary>
internal static class LastValidOptions
{
    /// <summary>Both halves: settings files that do not parse, and options that do not validate, on reload.</summary>
    public static WebApplicationBuilder KeepLastValidSettingsOnReload(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var files = new SettingsFileErrors();
        builder.Configuration.KeepLastReadableSettingsFiles(files);
        builder.Services.AddSingleton(files);
        builder.Services.AddSingleton<RejectedSettings>();
        builder.Services.AddTransient(typeof(IOptionsFactory<>), typeof(LastValidOptionsFactory<>));
        return builder;
    }
}

/// <summary>The framework's factory, but a failed re-creation answers the last valid value and reports the failure.</summary>
internal sealed class LastValidOptionsFactory<TOptions>(
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations,
    RejectedSettings rejected) : IOptionsFactory<TOptions>
    where TOptions : class
{
    private readonly OptionsFactory<TOptions> _inner = new(setups, postConfigures, validations);

    public TOptions Create(string name)
    {
        try
        {
            var options = _inner.Create(name);
            rejected.Accepted(typeof(TOptions), name, options);
            return options;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException && rejected.LastValid(typeof(TOptions), name) is TOptions last)
        {
            // Only a re-creation gets here: the first one has no last value, so a bad start still fails the start.
            rejected.Rejected(typeof(TOptions), name, ex);
            return last;
        }
    }
}
