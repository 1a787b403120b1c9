using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Cluster;

namespace SafeStream.Server.Health;

/// <summary>
/// The legacy body plus what an operator watches while flipping storage modes, this instance's number and its fan-out
/// listener (<c>off</c> with a single instance), and the reloaded settings that were invalid and ignored (empty when the
/// configuration in force is the one in the files).
/// </summary>
internal sealed record HealthResponse(string Status, StorageStatus Storage, int Instance, FanoutStatus Fanout, IReadOnlyList<string> RejectedSettings);

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // The process answers, so it is healthy; storage trouble shows in the storage block (in DatabaseFirst the
        // service keeps working through an outage, and a load balancer must not take it out).
        routes.MapGet("/healthz", (IStorageStatus status, IClusterBus cluster, RejectedSettings rejected, CurrentUser? caller) =>
                TypedResults.Ok(new HealthResponse("healthy", ForCaller(status.Current, caller), cluster.Instance, ForCaller(cluster.Status, caller), ForCaller(rejected, caller))))
            .WithTags("Health")
            .WithSummary("Liveness and the storage status; last_error in full only with an admin's token.");
        return routes;
    }

    /// <summary>The listener's last error may name the database host: only admins see it.</summary>
    public static FanoutStatus ForCaller(FanoutStatus status, CurrentUser? caller)
    {
        ArgumentNullException.ThrowIfNull(status);
        return caller?.IsAdmin == true || status.LastError is null ? status : status with { LastError = "connection lost (details with an admin's token)" };
    }

    /// <summary>Each reason names its key; the reason itself may quote a path or a value, so only admins read it.</summary>
    public static IReadOnlyList<string> ForCaller(RejectedSettings rejected, CurrentUser? caller)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var reasons = rejected.Current;
        return caller?.IsAdmin == true
            ? reasons
            : [.. reasons.Select(r => $"{r.Split(": ", 2)[0]} is invalid (details with an admin's token)")];
    }

    /// <summary>
    /// The last storage error names files and exception texts: an admin sees it, anyone else only that there was one
    /// and when, in the same shape.
    /// </summary>
    public static StorageStatus ForCaller(StorageStatus status, CurrentUser? caller)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (caller?.IsAdmin == true || status.LastError is not { } error)
        {
            return status;
        }

        var at = error.Split(' ', 2)[0];
        return status with { LastError = $"{at} storage error (details with an admin's token)" };
    }
}
