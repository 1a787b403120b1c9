namespace SafeStream.Server.Docs;

/// <summary>
/// <c>/openapi.json</c> from ASP.NET Core's own generator, and <c>/docs</c>: a small page that renders it without
/// any CDN, so the docs work offline.
/// </summary>
public static class DocsApi
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SafeStream";
            document.Info.Description = "Live-stream chat with moderation, gifts and moderator actions; the legacy SafeStream protocol.";
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/openapi.json");
        var page = ReadPage();
        routes.MapGet("/docs", () => TypedResults.Text(page, "text/html; charset=utf-8")).ExcludeFromDescription();
        return routes;
    }

    private static string ReadPage()
    {
        using var stream = typeof(DocsApi).Assembly.GetManifestResourceStream("SafeStream.Server.Docs.docs.html")
            ?? throw new InvalidOperationException("The docs page is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
