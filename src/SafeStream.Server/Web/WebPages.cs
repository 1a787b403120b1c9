using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;

namespace SafeStream.Server.Web;

/// <summary>
/// The viewer chat page (<c>/chat</c>; <c>/</c> and the legacy <c>/login</c> and <c>/app</c> lead there) and the
/// moderator dashboard (<c>/dashboard</c>). Pages, scripts and styles are embedded in the assembly, so the service
/// serves the same files however it is started or published, and needs no CDN. Every page and asset carries a strict
/// Content-Security-Policy: scripts and styles from this origin only, nothing inline.
/// </summary>
internal static class WebPages
{
    public const string AssetsPath = "/assets";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Resources = "SafeStream.Server.Web";

    /// <summary>Scripts, styles and icons under <c>/assets/</c>, revalidated by ETag on every load.</summary>
    public static IApplicationBuilder UseWebAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = AssetsPath,
            FileProvider = new EmbeddedFileProvider(typeof(WebPages).Assembly, $"{Resources}.assets"),
            OnPrepareResponse = context => Secure(context.Context.Response),
        });

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder routes)
    {
        var chat = Page("chat.html");
        var dashboard = Page("dashboard.html");
        string[] toChat = ["/", "/login", "/app"];
        foreach (var legacy in toChat)
        {
            routes.MapGet(legacy, () => TypedResults.Redirect("/chat")).ExcludeFromDescription();
        }

        routes.MapGet("/chat", (HttpResponse response) => Serve(response, chat)).ExcludeFromDescription();
        routes.MapGet("/dashboard", (HttpResponse response) => Serve(response, dashboard)).ExcludeFromDescription();
        return routes;
    }

    private static FileContentHttpResult Serve(HttpResponse response, byte[] page)
    {
        Secure(response);
        return TypedResults.Bytes(page, "text/html; charset=utf-8");
    }

    /// <summary>The headers every page and asset carries (the API docs too, with <paramref name="policy"/>).</summary>
    public static void Secure(HttpResponse response, string policy = ContentSecurityPolicy)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
    }

    private static byte[] Page(string name)
    {
        using var stream = typeof(WebPages).Assembly.GetManifestResourceStream($"{Resources}.pages.{name}")
            ?? throw new InvalidOperationException($"The page {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
