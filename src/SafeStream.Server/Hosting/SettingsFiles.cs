using Microsoft.Extensions.Configuration.Json;

namespace SafeStream.Server.Hosting;

/// <summary>
/// <c>appsettings.json</c> saved with a syntax error while the service runs (a missing quote, a half-written file) is
/// kept out: the framework's JSON provider empties its settings when a reload cannot parse the file, so every key of
/// the file would fall back to its default (the storage mode among them). Here the last readable content stays in
/// force and the error is reported with the other ignored settings (<see cref="RejectedSettings"/>). A file that
/// cannot be read at start still fails the start.
/// </summary>
internal static class SettingsFiles
{
    public static ConfigurationManager KeepLastReadableSettingsFiles(this ConfigurationManager configuration, SettingsFileErrors errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { } json and not KeepLastReadable)
            {
                sources[i] = new KeepLastReadable(errors)
                {
                    Path = json.Path!,
                    Optional = json.Optional,
                    ReloadOnChange = json.ReloadOnChange,
                    ReloadDelay = json.ReloadDelay,
                    FileProvider = json.FileProvider,
                    OnLoadException = json.OnLoadException,
                };
            }
        }

        return configuration;
    }

    private sealed class KeepLastReadable(SettingsFileErrors errors) : JsonConfigurationSource
    {
        public override IConfigurationProvider Build(IConfigurationBuilder builder)
        {
            EnsureDefaults(builder);
            return new Provider(this, errors);
        }
    }

    private sealed class Provider(KeepLastReadable source, SettingsFileErrors errors) : JsonConfigurationProvider(source)
    {
        private bool _loaded;

        public override void Load(Stream stream)
        {
            if (!_loaded)
            {
                base.Load(stream); // at start a broken file is the start's error, as before
                _loaded = true;
                return;
            }

            try
            {
                base.Load(stream); // replaces the settings only once the whole file parsed
                errors.Set(source.Path, null);
            }
            catch (FormatException ex)
            {
                errors.Set(source.Path, $"{source.Path}: {ex.Message} ({ex.InnerException?.Message})");
            }
        }
    }
}

/// <summary>Settings files whose latest save could not be read, and why; the last readable content stays in force.</summary>
internal sealed class SettingsFileErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <summary>Raised with the file's path when its error appears, changes or goes.</summary>
    public event Action<string>? Changed;

    public IReadOnlyList<string> Current
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors.Values.Order(StringComparer.Ordinal)];
            }
        }
    }

    internal void Set(string? path, string? error)
    {
        path ??= "";
        lock (_errors)
        {
            var had = _errors.GetValueOrDefault(path);
            if (had == error)
            {
                return;
            }

            if (error is null)
            {
                _errors.Remove(path);
            }
            else
            {
                _errors[path] = error;
            }
        }

        Changed?.Invoke(path);
    }
}
