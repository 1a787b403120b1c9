using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;

namespace SafeStream.Server.Chat;

internal static partial class ChatApi
{
    /// <summary>
    /// Registers the hub, the receive path and the persist-then-deliver pipeline, with the <c>Limits</c> section
    /// validated at start.
    /// </summary>
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<LimitsOptions>, ConnectionCeiling>();
        services.AddOptions<ChatOptions>().Bind(configuration.GetSection(ChatOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Backlog>();
        services.AddSingleton<ChatHub>();
        services.AddSingleton<ChatReceiver>();
        services.AddSingleton<ChatPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatPipeline>());
        return services;
    }

    /// <summary>WebSockets with pings, so a client that vanished without closing is noticed and dropped.</summary>
    public static IApplicationBuilder UseChatSockets(this IApplicationBuilder app) =>
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20), KeepAliveTimeout = TimeSpan.FromSeconds(20) });

    /// <summary>
    /// <c>/ws/{username}?token=</c>: the legacy chat socket; <c>/ws</c>: an anonymous viewer's read-only socket, when
    /// <see cref="ChatOptions.AnonymousViewers"/> allows it. Both take <c>?since=&lt;id&gt;</c> (see <see cref="Backlog"/>).
    /// Every refusal happens before the handshake.
    /// </summary>
    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/ws/{username}", ConnectAsync)
            .WithTags("Chat")
            .WithSummary("The chat WebSocket: send {\"type\":\"chat\",\"message\":\"...\"}; receive chat, gift, muted and error frames. "
                + "?since=<id> first replays the chat messages missed after that id.");
        routes.MapGet("/ws", ConnectAnonymousAsync)
            .WithTags("Chat")
            .WithSummary("A read-only WebSocket without an account (when Chat:AnonymousViewers is on): receives chat and gift frames, sends nothing. Takes ?since=<id>.");
        return routes;
    }

    private static async Task ConnectAsync(
        HttpContext context,
        string username,
        ChatHub hub,
        ChatReceiver receiver,
        Backlog backlog,
        IOptions<LimitsOptions> limits,
        TimeProvider time,
        ServerMetrics metrics,
        ILoggerFactory loggers)
    {
        var refusal = Check(context, username, limits.Value);
        long? since = null;
        if (refusal is null && !Backlog.TryParseSince(context.Request.Query, out since))
        {
            refusal = (StatusCodes.Status400BadRequest, Backlog.SinceRule);
        }

        if (refusal is { } r)
        {
            await ApiErrors.WriteAsync(context, r.Status, r.Detail);
            return;
        }

        var caller = context.Features.GetRequiredFeature<CurrentUser>();
        if (hub.TryReserve(caller.Account, caller.IssuedAt, out var denied) is not { } session)
        {
            await ApiErrors.WriteAsync(context, denied.Status, denied.Detail);
            return;
        }

        var logger = loggers.CreateLogger(typeof(ChatApi));
        var connection = new ChatConnection(session, caller.IssuedAt, limits.Value, time, metrics, logger);
        if (since is not null)
        {
            connection.HoldLiveFrames(); // before it joins the broadcast: what is sent from then on waits for the backlog
        }

        if (!hub.Attach(connection))
        {
            hub.Release(session);
            await ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Could not validate credentials"); // kicked meanwhile
            return;
        }

        await RunAsync(context, connection, since, hub, receiver, backlog, logger);
    }

    private static async Task ConnectAnonymousAsync(
        HttpContext context,
        ChatHub hub,
        ChatReceiver receiver,
        Backlog backlog,
        IOptionsMonitor<ChatOptions> chat,
        IOptions<LimitsOptions> limits,
        TimeProvider time,
        ServerMetrics metrics,
        ILoggerFactory loggers)
    {
        var options = chat.CurrentValue;
        long? since = null;
        (int Status, string Detail)? refusal = !context.WebSockets.IsWebSocketRequest ? (StatusCodes.Status400BadRequest, "WebSocket upgrade expected")
            : !options.AnonymousViewers ? (StatusCodes.Status403Forbidden, "Could not validate credentials") // as a socket without a token
            : !Backlog.TryParseSince(context.Request.Query, out since) ? (StatusCodes.Status400BadRequest, Backlog.SinceRule)
            : null;
        var address = ClientAddresses.Key(context);
        if (refusal is null && !hub.TryReserveAnonymous(address, options.MaxAnonymousPerAddress, out var denied))
        {
            refusal = denied;
        }

        if (refusal is { } r)
        {
            await ApiErrors.WriteAsync(context, r.Status, r.Detail);
            return;
        }

        var logger = loggers.CreateLogger(typeof(ChatApi));
        var connection = new ChatConnection(null, null, limits.Value, time, metrics, logger) { AnonymousAddress = address };
        if (since is not null)
        {
            connection.HoldLiveFrames();
        }

        hub.Attach(connection);
        await RunAsync(context, connection, since, hub, receiver, backlog, logger);
    }

    /// <summary>An attached connection: its backlog (a storage failure is a 503 before the handshake), the handshake, then frames until it closes.</summary>
    private static async Task RunAsync(HttpContext context, ChatConnection connection, long? since, ChatHub hub, ChatReceiver receiver, Backlog backlog, ILogger logger)
    {
        try
        {
            if (since is { } after)
            {
                try
                {
                    await backlog.SendAsync(connection, after, context.RequestAborted);
                }
                catch (StorageUnavailableException ex)
                {
                    LogBacklogUnavailable(logger, connection.Username, ex.Message);
                    await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable);
                    return;
                }
            }

            var socket = await context.WebSockets.AcceptWebSocketAsync();
            var sending = connection.RunAsync(socket);
            LogJoined(logger, connection.Username, hub.ConnectionCount);
            await receiver.RunAsync(connection, context.RequestAborted);
            connection.Complete();
            await sending;
            LogLeft(logger, connection.Username, socket.CloseStatus, hub.ConnectionCount - 1);
        }
        finally
        {
            connection.Finish();
            hub.Leave(connection);
        }
    }

    /// <summary>Why the handshake is refused (legacy: before accept), or null.</summary>
    private static (int Status, string Detail)? Check(HttpContext context, string username, LimitsOptions limits)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return (StatusCodes.Status400BadRequest, "WebSocket upgrade expected");
        }

        if (BearerEvents.Outage(context) is not null)
        {
            return (StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable);
        }

        if (!Usernames.IsValid(username, limits.MaxUsernameLength))
        {
            return (StatusCodes.Status403Forbidden, $"Invalid username: {Usernames.Rule(limits.MaxUsernameLength)}");
        }

        if (context.Features.Get<CurrentUser>() is not { } caller)
        {
            return (StatusCodes.Status403Forbidden, BearerEvents.Inactive(context) ? "Inactive user" : "Could not validate credentials");
        }

        return caller.Username == username ? null : (StatusCodes.Status403Forbidden, "The token belongs to another user");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The backlog of a reconnect of {Username} could not be read; the handshake was refused with 503: {Reason}")]
    private static partial void LogBacklogUnavailable(ILogger logger, string username, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Username} connected ({Connections} open)")]
    private static partial void LogJoined(ILogger logger, string username, int connections);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Username} disconnected ({CloseStatus}; {Connections} open)")]
    private static partial void LogLeft(ILogger logger, string username, WebSocketCloseStatus? closeStatus, int connections);
}
