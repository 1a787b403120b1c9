using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Storage;

namespace SafeStream.Server.Health;

/// <summary>The legacy body plus what an operator watches while flipping storage modes.</summary>
public sealed record HealthResponse(string Status, StorageStatus Storage);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // The process answers, so it is healthy; storage trouble shows in the storage block (in DatabaseFirst the
        // service keeps working through an outage, and a load balancer must not take it out).
        routes.MapGet("/healthz", (IStorageStatus status, CurrentUser? caller) => TypedResults.Ok(new HealthResponse("healthy", ForCaller(status.Current, caller))))
            .WithTags("Health")
            .WithSummary("Liveness and the storage status; last_error in full only with an admin's token.");
        return routes;
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
