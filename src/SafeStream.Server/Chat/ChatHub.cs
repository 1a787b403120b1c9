using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Chat;

/// <summary>
/// Who is connected. Broadcasting reads an immutable array of connections (no lock); joining and leaving, which are
/// rare, swap it under a lock. A connection is removed only when its socket closes. A timer looks for sockets that
/// stopped taking frames (see <see cref="ChatConnection.DropIfStalled"/>).
/// </summary>
internal sealed partial class ChatHub : IDisposable
{
    public const string KickReason = "Kicked by admin";

    private readonly LimitsOptions _limits;
    private readonly ConcurrentDictionary<string, UserSession> _sessions = new(StringComparer.Ordinal);

    // Rate limits outlive a user's sockets until they have refilled, so reconnecting never buys a fresh burst.
    private readonly UserBuckets _buckets;
    private readonly Lock _lock = new();
    private readonly ITimer _stallCheck;
    private ChatConnection[] _all = [];
    private int _reserved;
    private int _viewers;
    private int _anonymous;

    public ChatHub(IOptions<LimitsOptions> options, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        _limits = options.Value;
        _buckets = new UserBuckets(_limits.MessagesPerSecond, _limits.MessageBurst, time);

        // Open sockets would otherwise hold the shutdown for its whole timeout.
        lifetime.ApplicationStopping.Register(() => CloseAll(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down"));

        // A wake-up in real time (the stall itself is measured on the app's clock): a test that moves a fake clock by
        // minutes must not find a frame in flight at that instant "stalled".
        var period = TimeSpan.FromSeconds(Math.Clamp(_limits.SlowClientSeconds / 2, 0.05, 1));
        _stallCheck = TimeProvider.System.CreateTimer(_ => DropStalled(), null, period, period);
    }

    /// <summary>Users with at least one open socket, and anonymous viewers (one each: nothing tells two of them apart).</summary>
    public int ViewerCount => Volatile.Read(ref _viewers) + Volatile.Read(ref _anonymous);

    public int ConnectionCount => Volatile.Read(ref _all).Length;

    /// <summary>The users the hub holds state for (those with open sockets among them), for re-checking their accounts.</summary>
    public UserSession[] Sessions => [.. _sessions.Values];

    /// <summary>The state held for <paramref name="username"/>, if any.</summary>
    public UserSession? SessionOf(string username) => _sessions.GetValueOrDefault(username);

    /// <summary>Holds a place for a socket of <paramref name="user"/> before the handshake, or says why there is none.</summary>
    public UserSession? TryReserve(User user, DateTimeOffset? issuedAt, out (int Status, string Detail) refusal)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!TryReserveOne(out refusal))
        {
            return null;
        }

        while (true)
        {
            var session = SessionOf(user);
            lock (session.Gate)
            {
                if (session.Retired)
                {
                    continue;
                }

                refusal = session.Revokes(issuedAt) ? (StatusCodes.Status403Forbidden, "Could not validate credentials")
                    : session.Reserved >= _limits.MaxConnectionsPerUser
                        ? (StatusCodes.Status503ServiceUnavailable, $"Too many connections for {user.Username} ({_limits.MaxConnectionsPerUser})")
                    : default;
                if (refusal == default)
                {
                    session.Reserve();
                    return session;
                }

                ReleaseLocked(session);
                return null;
            }
        }
    }

    /// <summary>Gives back a place whose handshake failed.</summary>
    public void Release(UserSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (session.Gate)
        {
            session.Unreserve();
            ReleaseLocked(session);
        }
    }

    /// <summary>Adds an accepted socket to every broadcast; false when a kick revoked its token meanwhile.</summary>
    public bool Attach(ChatConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Session is not { } session)
        {
            Interlocked.Increment(ref _anonymous);
        }
        else
        {
            lock (session.Gate)
            {
                if (session.Revokes(connection.IssuedAt))
                {
                    return false;
                }

                session.Add(connection);
                if (session.Connections.Length == 1)
                {
                    Interlocked.Increment(ref _viewers);
                }
            }
        }

        lock (_lock)
        {
            _all = [.. _all, connection];
        }

        return true;
    }

    /// <summary>Forgets a socket that closed.</summary>
    public void Leave(ChatConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_lock)
        {
            var index = Array.IndexOf(_all, connection);
            if (index >= 0)
            {
                _all = [.. _all[..index], .. _all[(index + 1)..]];
            }
        }

        if (connection.Session is not { } session)
        {
            Interlocked.Decrement(ref _anonymous);
            ReleaseAnonymous(connection.AnonymousAddress!);
            return;
        }

        lock (session.Gate)
        {
            if (session.Remove(connection) && session.Connections.Length == 0)
            {
                Interlocked.Decrement(ref _viewers);
            }

            session.Unreserve();
            ReleaseLocked(session);
        }
    }

    /// <summary>Queues one serialised frame for every open socket; <paramref name="chatId"/> is the id of the chat message it carries, 0 for a gift.</summary>
    public void Broadcast(byte[] frame, long chatId)
    {
        foreach (var connection in Volatile.Read(ref _all))
        {
            connection.TrySend(frame, chatId);
        }
    }

    /// <summary>Takes a stored change of <paramref name="user"/> (mute, unmute, kick) and answers their open sockets.</summary>
    public ChatConnection[] Apply(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        while (true)
        {
            var session = SessionOf(user);
            lock (session.Gate)
            {
                if (!session.Retired)
                {
                    session.Apply(user);
                    return session.Connections;
                }
            }
        }
    }

    /// <summary>Takes a stored kick: every socket of the user is closed with 1000 "Kicked by admin".</summary>
    public int Kick(User user)
    {
        var connections = Apply(user);
        foreach (var connection in connections)
        {
            connection.Close(WebSocketCloseStatus.NormalClosure, KickReason);
        }

        return connections.Length;
    }

    /// <summary>Drops every socket that has taken nothing for <see cref="LimitsOptions.SlowClientSeconds"/> while frames wait for it.</summary>
    public void DropStalled()
    {
        foreach (var connection in Volatile.Read(ref _all))
        {
            connection.DropIfStalled();
        }
    }

    public void Dispose() => _stallCheck.Dispose();

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var connection in Volatile.Read(ref _all))
        {
            connection.Close(status, reason);
        }
    }

    private UserSession SessionOf(User user) =>
        _sessions.GetOrAdd(user.Username, static (_, state) => state.hub.NewSession(state.user), (hub: this, user));

    private UserSession NewSession(User user)
    {
        if (_buckets.Count > 2 * _sessions.Count + 1024)
        {
            _buckets.ForgetFull(_sessions.ContainsKey);
        }

        return new(user, _buckets.For(user.Username));
    }

    // Under session.Gate: the global count drops with every release; an idle session is forgotten.
    private void ReleaseLocked(UserSession session)
    {
        Interlocked.Decrement(ref _reserved);
        if (session.Reserved == 0)
        {
            session.Retire();
            _sessions.TryRemove(new KeyValuePair<string, UserSession>(session.Username, session));
            _buckets.ForgetIfFull(session.Username, session.Bucket);
        }
    }
}
