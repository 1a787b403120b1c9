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

public sealed record UsernameRequest(string Username);

/// <summary><c>minutes</c> defaults to 5.</summary>
public sealed record MuteRequest(string Username, double? Minutes);

public sealed record AdminResponse(string Status, string Message);

public sealed record MuteResponse(string Status, string Message, DateTimeOffset MutedUntil);

/// <summary>
/// Moderator actions, for admins only. Each is stored (the account change, then the action record) before it takes
/// effect on open sockets and before it is answered with success.
/// </summary>
public static class AdminApi
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
    private static async Task<Results<Ok<AdminResponse>, JsonHttpResult<ErrorDetail>>> KickAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, DashboardFeed feed, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, cancellationToken) is not { } json || Username(json) is not { } username)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "Username required");
        }

        var user = await storage.UpdateUserAsync(username, new UserPatch { TokensValidAfter = time.GetUtcNow() }, cancellationToken);
        if (user is null)
        {
            return NotFound(username);
        }

        await log.RecordAsync(caller.Username, "kick", username, null, cancellationToken);
        hub.Kick(user);
        feed.EndFor(username); // a kicked admin's dashboard stops at once, blocked messages and all
        return TypedResults.Ok(new AdminResponse("ok", $"Kicked user: {username}"));
    }

    private static async Task<Results<Ok<MuteResponse>, JsonHttpResult<ErrorDetail>>> MuteAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, cancellationToken) is not { } json || Username(json) is not { } username)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "Username required");
        }

        if (Minutes(json) is not { } minutes)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, $"minutes must be a number above 0 and at most {MaxMuteMinutes}");
        }

        var until = time.GetUtcNow().AddMinutes(minutes);
        var user = await storage.UpdateUserAsync(username, new UserPatch { MutedUntil = until }, cancellationToken);
        if (user?.MutedUntil is not { } mutedUntil)
        {
            return NotFound(username);
        }

        var duration = minutes.ToString(CultureInfo.InvariantCulture);
        await log.RecordAsync(caller.Username, "mute", username, $"{duration} minutes, until {WireFormat.FormatTime(mutedUntil)}", cancellationToken);
        hub.Apply(user);
        return TypedResults.Ok(new MuteResponse("ok", $"Muted user: {username} for {duration} minutes", mutedUntil));
    }

    private static async Task<Results<Ok<AdminResponse>, JsonHttpResult<ErrorDetail>>> UnmuteAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, ChatHub hub, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, cancellationToken) is not { } json || Username(json) is not { } username)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "Username required");
        }

        var user = await storage.UpdateUserAsync(username, new UserPatch { MutedUntil = time.GetUtcNow() }, cancellationToken);
        if (user is null)
        {
            return NotFound(username);
        }

        await log.RecordAsync(caller.Username, "unmute", username, null, cancellationToken);
        hub.Apply(user);
        return TypedResults.Ok(new AdminResponse("ok", $"Unmuted user: {username}"));
    }

    /// <summary>Metrics count from now on; nothing is deleted.</summary>
    private static async Task<Ok<StatusResponse>> ResetMetricsAsync(
        CurrentUser caller, IStorage storage, AdminLog log, StatsCache stats, TimeProvider time, CancellationToken cancellationToken)
    {
        await storage.SetSettingAsync(SettingKeys.MetricsResetAt, WireFormat.FormatTime(time.GetUtcNow()), cancellationToken);
        await log.RecordAsync(caller.Username, "reset_metrics", null, null, cancellationToken);
        stats.Invalidate();
        return TypedResults.Ok(new StatusResponse("metrics reset"));
    }

    private static async Task<JsonElement?> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await JsonBody.ReadObjectAsync(request, cancellationToken)).Body;

    private static string? Username(JsonElement json) =>
        JsonBody.TryGetString(json, "username", out var username, out _) && !string.IsNullOrWhiteSpace(username) ? username : null;

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

    private static JsonHttpResult<ErrorDetail> NotFound(string username) =>
        ApiErrors.Result(StatusCodes.Status404NotFound, $"User not found: {username}");
}
