using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Dashboard;
using SafeStream.Server.Hosting;
using SafeStream.Server.Stats;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Admin;

/// <summary>
/// Moderator actions, for admins only. Each is stored (the account change, then the action record) before it takes
/// effect on open sockets and before it is answered with success.
/// </summary>
internal static class AdminApi
{
    private const double DefaultMuteMinutes = 5;
    private const double MaxMuteMinutes = 525_600;

    public static IServiceCollection AddAdmin(this IServiceCollection services) => services.AddSingleton<AdminLog>();

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AuthServiceCollectionExtensions.AdminPolicy);
        group.MapPost("/kick", KickAsync).Accepts<UsernameRequest>("application/json");
        group.MapPost("/mute", MuteAsync).Accepts<MuteRequest>("application/json");
        group.MapPost("/unmute", UnmuteAsync).Accepts<UsernameRequest>("application/json");
        group.MapPost("/reset_metrics", ResetMetricsAsync);
        return group;
    }

    /// <summary>Revokes the user's tokens, closes their sockets (1000, "Kicked by admin") and dashboard feeds; history stays.</summary>
    private static Task<Results<Ok<AdminResponse>, JsonHttpResult<ErrorDetail>>> KickAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, DashboardFeed feed, TimeProvider time, CancellationToken cancellationToken) =>
        UserAction<AdminResponse>.RunAsync(request, caller, storage, log, username => new(
            "kick",
            new UserPatch { TokensValidAfter = time.GetUtcNow() },
            user =>
            {
                hub.Kick(user);
                feed.EndFor(username); // a kicked admin's dashboard stops at once, blocked messages and all
                return new AdminResponse("ok", $"Kicked user: {username}");
            }), cancellationToken);

    private static Task<Results<Ok<MuteResponse>, JsonHttpResult<ErrorDetail>>> MuteAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, TimeProvider time, CancellationToken cancellationToken) =>
        UserAction<MuteResponse>.RunAsync(request, caller, storage, log, (json, username) =>
        {
            if (Minutes(json) is not { } minutes)
            {
                return (null, $"minutes must be a number above 0 and at most {MaxMuteMinutes}");
            }

            var duration = minutes.ToString(CultureInfo.InvariantCulture);

            // A patch never clears a field, so the stored account has a mute: this one, or a later one from elsewhere.
            return (new(
                "mute",
                new UserPatch { MutedUntil = time.GetUtcNow().AddMinutes(minutes) },
                user =>
                {
                    hub.Apply(user);
                    return new MuteResponse("ok", $"Muted user: {username} for {duration} minutes", user.MutedUntil!.Value);
                },
                user => $"{duration} minutes, until {WireFormat.FormatTime(user.MutedUntil!.Value)}"), null);
        }, cancellationToken);

    private static Task<Results<Ok<AdminResponse>, JsonHttpResult<ErrorDetail>>> UnmuteAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, TimeProvider time, CancellationToken cancellationToken) =>
        UserAction<AdminResponse>.RunAsync(request, caller, storage, log, username => new(
            "unmute",
            new UserPatch { MutedUntil = time.GetUtcNow() },
            user =>
            {
                hub.Apply(user);
                return new AdminResponse("ok", $"Unmuted user: {username}");
            }), cancellationToken);

    /// <summary>Metrics count from now on; nothing is deleted.</summary>
    private static async Task<Ok<StatusResponse>> ResetMetricsAsync(
        CurrentUser caller, IStorage storage, AdminLog log, StatsCache stats, TimeProvider time, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await storage.SetSettingAsync(SettingKeys.MetricsResetAt, WireFormat.FormatTime(at), cancellationToken);
        await log.RecordAsync(caller.Username, "reset_metrics", null, null, cancellationToken);
        stats.Invalidate(at);
        return TypedResults.Ok(new StatusResponse("metrics reset"));
    }

    private static double? Minutes(JsonElement json)
    {
        if (!json.TryGetProperty("minutes", out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return DefaultMuteMinutes;
        }

        return property.ValueKind == JsonValueKind.Number && property.TryGetDouble(out var minutes) && minutes is > 0 and <= MaxMuteMinutes
            ? minutes
            : null;
    }
}
