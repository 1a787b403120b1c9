using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using SafeStream.Server.Chat;
using SafeStream.Server.Dashboard;
using SafeStream.Storage;

namespace SafeStream.Server.Auth;

/// <summary>
/// An authorization checked once, at connect, must not outlive the account behind it. Every
/// <c>Limits:AccountRecheckSeconds</c> the accounts behind open dashboard feeds and chat sockets are read again:
/// a feed ends when its token expired or its admin was kicked, demoted or disabled; a chat socket closes when its
/// account was disabled (1008 "Account disabled"), kicked elsewhere (1000 "Kicked by admin") or the name has another
/// owner now. The changes may come from this process, the admin command line or another instance; on PostgreSQL
/// another instance's moderator actions are also rechecked at once (<see cref="RecheckAsync"/>, from the fan-out).
/// </summary>
internal sealed partial class AccountWatch(
    AccountAccess access,
    IStorage storage,
    ChatHub hub,
    DashboardFeed feed,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<AccountWatch> logger) : BackgroundService
{
    public const string DisabledReason = "Account disabled";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(limits.Value.AccountRecheckSeconds), time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckFeedsAsync(stoppingToken);
                    await CheckSocketsAsync(stoppingToken);
                    failing = false;
                }
                catch (Exception ex) when (ex is StorageUnavailableException or CorruptFileException)
                {
                    // Nothing is ended on a guess; the next round asks again.
                    if (!failing)
                    {
                        failing = true;
                        LogCannotCheck(logger, ex.Message);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex); // the watch must not stop the host
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckFeedsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var listener in feed.Listeners)
        {
            var token = listener.Caller.Token;
            var why = token.Expires <= now ? "its token expired"
                : await access.CheckAsync(token, cancellationToken) switch
                {
                    { Refusal: AccessRefusal.Inactive } => "the account is disabled",
                    { Refusal: AccessRefusal.Invalid } => "the token was revoked or the account is gone",
                    { IsAdmin: false } => "the account is no longer an admin",
                    _ => null,
                };
            if (why is not null)
            {
                feed.Leave(listener);
                LogFeedEnded(logger, token.Username, why);
            }
        }
    }

    /// <summary>Reads <paramref name="username"/>'s account now (a change another instance announced) and answers its open sockets.</summary>
    public async Task RecheckAsync(string username, CancellationToken cancellationToken)
    {
        if (hub.SessionOf(username) is { } session)
        {
            await CheckSessionAsync(session, cancellationToken);
        }
    }

    private async Task CheckSocketsAsync(CancellationToken cancellationToken)
    {
        foreach (var session in hub.Sessions)
        {
            await CheckSessionAsync(session, cancellationToken);
        }
    }

    private async Task CheckSessionAsync(UserSession session, CancellationToken cancellationToken)
    {
        if (session.Connections.Length == 0)
        {
            return;
        }

        var user = await storage.FindUserAsync(session.Username, cancellationToken);
        var (status, reason) = user is null || user.CreatedAt != session.AccountCreatedAt ? (WebSocketCloseStatus.PolicyViolation, "Could not validate credentials")
            : !user.IsActive ? (WebSocketCloseStatus.PolicyViolation, DisabledReason)
            : (WebSocketCloseStatus.NormalClosure, ChatHub.KickReason);
        var connections = user is null ? session.Connections : hub.Apply(user); // mutes and kicks made elsewhere apply here too
        foreach (var connection in connections)
        {
            if (status != WebSocketCloseStatus.NormalClosure || session.Revokes(connection.IssuedAt))
            {
                connection.Close(status, reason);
                LogSocketClosed(logger, session.Username, reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended a dashboard feed of {Username}: {Reason}")]
    private static partial void LogFeedEnded(ILogger logger, string username, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed a chat socket of {Username}: {Reason}")]
    private static partial void LogSocketClosed(ILogger logger, string username, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Open feeds and sockets cannot be checked against storage: {Reason}; retrying")]
    private static partial void LogCannotCheck(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking open feeds and sockets failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
