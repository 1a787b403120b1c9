using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>
/// <c>Admin:Usernames</c>, with the rule that keeps a stranger from squatting a listed name: a listed name makes an
/// account admin only if the account was created before the server first saw the name in the list. An account
/// registered later under that name gets no power from the list (the operator grants it with <c>grant-admin</c>).
/// When each name was first seen is a stored setting (<c>admin_listed_at:&lt;name&gt;</c>), so it survives restarts
/// and is shared by every instance; it is recorded at start and whenever the list changes.
/// </summary>
internal sealed partial class AdminNames(IStorage storage, IOptionsMonitor<AdminOptions> options, TimeProvider time, ILogger<AdminNames> logger)
    : IHostedService, IDisposable
{
    public const string SettingPrefix = "admin_listed_at:";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _listedAt = new(StringComparer.Ordinal);
    private IDisposable? _subscription;

    /// <summary>Whether the list makes <paramref name="user"/> an admin (see the rule above). Throws when storage cannot say.</summary>
    public async Task<bool> GrantsAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!options.CurrentValue.Usernames.Contains(user.Username, StringComparer.Ordinal))
        {
            return false;
        }

        return user.CreatedAt < await ListedAtAsync(user.Username, cancellationToken);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecordAsync(options.CurrentValue.Usernames, cancellationToken);
        _subscription = options.OnChange(o => _ = RecordAsync(o.Usernames, CancellationToken.None));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    /// <summary>When the server first saw <paramref name="username"/> in the list: stored, or now (and stored) the first time.</summary>
    private async Task<DateTimeOffset> ListedAtAsync(string username, CancellationToken cancellationToken)
    {
        if (_listedAt.TryGetValue(username, out var known))
        {
            return known;
        }

        var key = SettingPrefix + username;
        var stored = await storage.GetSettingAsync(key, cancellationToken);
        if (!DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var listedAt))
        {
            listedAt = time.GetUtcNow();
            await storage.SetSettingAsync(key, listedAt.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
            LogListed(logger, username);
        }

        return _listedAt.GetOrAdd(username, listedAt);
    }

    private async Task RecordAsync(string[] usernames, CancellationToken cancellationToken)
    {
        foreach (var username in usernames.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await ListedAtAsync(username, cancellationToken);
            }
            catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
            {
                // Asked again at the first admin check; until storage answers, the name grants nothing.
                LogNotRecorded(logger, username, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin:Usernames lists {Username}: it makes an account admin only if the account already exists now; a later one needs grant-admin")]
    private static partial void LogListed(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record when Admin:Usernames first listed {Username} ({Reason}); trying again at its first use")]
    private static partial void LogNotRecorded(ILogger logger, string username, string reason);
}
