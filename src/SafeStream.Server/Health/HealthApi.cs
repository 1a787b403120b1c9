using Microsoft.AspNetCore.Http.HttpResults;
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
        routes.MapGet("/healthz", (IStorageStatus status) => TypedResults.Ok(new HealthResponse("healthy", status.Current)))
            .WithTags("Health");
        return routes;
    }
}
