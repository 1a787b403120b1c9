using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using SafeStream.Server.Web;

namespace SafeStream.Server.Docs;

/// <summary>
/// <c>/openapi.json</c> from ASP.NET Core's own generator, with the Bearer scheme declared on the endpoints that need a
/// token, and <c>/docs</c>: Swagger UI from its package (no CDN, so the docs work offline), whose page loads only scripts
/// and styles of this origin, so it is served under the same strict headers as the other pages.
/// </summary>
internal static class DocsApi
{
    public const string DocsPath = "/docs";

    /// <summary>
    /// The pages' policy, plus the one constant stylesheet Swagger UI puts inline (the colours of its logo), allowed by
    /// its hash: no other inline style or script runs.
    /// </summary>
    public static readonly string ContentSecurityPolicy = WebPages.ContentSecurityPolicy.Replace(
        "style-src 'self'", "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='", StringComparison.Ordinal);

    private const string Bearer = "Bearer";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "SafeStream";
                document.Info.Description = "Live-stream chat with moderation, gifts and moderator actions; the legacy SafeStream protocol. "
                    + "Chat runs over the WebSocket /ws/{username}?token=…; get a token from /auth/login or /auth/register and paste it under Authorize.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access_token of /auth/login or /auth/register.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                }

                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/openapi.json");
        return routes;
    }

    /// <summary>Swagger UI under <see cref="DocsPath"/>, with the pages' Content-Security-Policy and headers.</summary>
    public static IApplicationBuilder UseApiDocs(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DocsPath),
            docs => docs
                .Use((context, next) =>
                {
                    context.Response.OnStarting(() =>
                    {
                        WebPages.Secure(context.Response, ContentSecurityPolicy);
                        return Task.CompletedTask;
                    });
                    return next(context);
                })
                .UseSwaggerUI(options =>
                {
                    options.RoutePrefix = DocsPath.TrimStart('/');
                    options.DocumentTitle = "SafeStream API";
                    options.SwaggerEndpoint("/openapi.json", "SafeStream");
                    options.EnableTryItOutByDefault();
                }));
}
