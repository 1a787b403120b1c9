using System.Collections.Concurrent;

namespace SafeStream.Server.Hosting;

/// <summary>
/// The settings a reload brought that failed validation and were ignored (see <see cref="LastValidOptions"/>), the
/// settings files whose save could not be read (<see cref="SettingsFiles"/>), and the last valid options of every
/// kind, which the service runs on meanwhile.
/// </summary>
internal sealed partial class RejectedSettings
{
    private readonly ILogger<RejectedSettings> _logger;
    private readonly SettingsFileErrors _files;
    private readonly ConcurrentDictionary<(Type Type, string Name), object> _lastValid = new();
    private readonly ConcurrentDictionary<(Type Type, string Name), string> _rejected = new();

    public RejectedSettings(SettingsFileErrors files, ILogger<RejectedSettings> logger)
    {
        _files = files;
        _logger = logger;
        files.Changed += FileChanged;
    }

    /// <summary>Why each ignored file or section was ignored, each reason naming its file or key.</summary>
    public IReadOnlyList<string> Current => [.. _files.Current, .. _rejected.OrderBy(r => r.Key.Type.Name, StringComparer.Ordinal).Select(r => r.Value)];

    internal object? LastValid(Type type, string name) => _lastValid.GetValueOrDefault((type, name));

    internal void Accepted(Type type, string name, object options)
    {
        _lastValid[(type, name)] = options;
        if (_rejected.TryRemove((type, name), out _))
        {
            LogAcceptedAgain(_logger, type.Name);
        }
    }

    internal void Rejected(Type type, string name, Exception exception)
    {
        var reason = StartupFailure.Describe(exception);
        // A save often fires the file watcher twice, and every reader re-creates the options: say it once per reason.
        if (_rejected.TryGetValue((type, name), out var known) && known == reason)
        {
            return;
        }

        _rejected[(type, name)] = reason;
        LogRejected(_logger, reason);
    }

    private void FileChanged(string path)
    {
        if (_files.Current.FirstOrDefault(e => e.StartsWith(path + ":", StringComparison.Ordinal)) is { } error)
        {
            LogRejected(_logger, error);
        }
        else
        {
            LogAcceptedAgain(_logger, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The reloaded configuration is invalid and was ignored; the service goes on with the last valid settings until it is fixed: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The reloaded {Options} are valid again and in force")]
    private static partial void LogAcceptedAgain(ILogger logger, string options);
}
