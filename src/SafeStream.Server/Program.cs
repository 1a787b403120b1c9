using SafeStream.Server.Admin;
using SafeStream.Server.Auth;
using SafeStream.Server.Backups;
using SafeStream.Server.Chat;
using SafeStream.Server.Cli;
using SafeStream.Server.Cluster;
using SafeStream.Server.Dashboard;
using SafeStream.Server.Docs;
using SafeStream.Server.Gifts;
using SafeStream.Server.Health;
using SafeStream.Server.Hosting;
using SafeStream.Server.Moderation;
using SafeStream.Server.Stats;
using SafeStream.Server.Telemetry;
using SafeStream.Server.Threshold;
using SafeStream.Server.Web;
using SafeStream.Storage;
using SafeStream.Storage.Retention;

// Operator commands: list-users, disable, enable, reset-password, grant-admin, revoke-admin, prune, backup, restore, stats, check, optimize (--help on each)
if (AdminCommand.Matches(args))
{
    return await AdminCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

// Configuration: legacy environment names (JWT_SECRET_KEY, TOXIC_THRESHOLD, ...) and the legacy port 8000 (loopback in Development)
builder.Configuration.AddLegacyEnvironmentAliases();
builder.WebHost.UseLegacyPortByDefault(builder.Configuration, builder.Environment);

// A setting saved with a typo while the service runs is logged, shown on /healthz and /readyz, and ignored
builder.KeepLastValidSettingsOnReload();

// Structured console and rolling-file logs, tokens scrubbed
builder.Services.AddSafeStreamLogging(builder.Configuration);

// Readiness on ASP.NET Core health checks (/healthz stays the legacy liveness answer)
builder.Services.AddReadiness();

// OpenTelemetry metrics for Prometheus (the legacy /metrics JSON stays as it is)
builder.Services.AddServerTelemetry();

// Storage: the only way to data, in the mode Storage:Mode asks for (and not over legacy files before the operator chose a path)
builder.Services.AddSafeStreamStorage(builder.Configuration);

// Retention: chat and gifts older than Retention:ChatDays / GiftDays go daily at Retention:RunAtUtc (off by default)
builder.Services.AddSafeStreamRetention(builder.Configuration);

// Checked backups on a schedule (Backup:IntervalHours, Backup:Keep; one instance takes each), and the storage figures (stats, backup age)
builder.Services.AddScheduledBackups(builder.Configuration);

// Bearer tokens compatible with the legacy service and bound to their account, bcrypt, sign-in limits, the admin role
builder.Services.AddSafeStreamAuth(builder.Configuration, builder.Environment);

// Toxicity scoring
builder.Services.AddModeration(builder.Configuration);

// The chat hub, its limits and the persist-then-deliver pipeline
builder.Services.AddChat(builder.Configuration);

// The toxicity threshold: stored, so every instance compares with the same one, and changed by admins
builder.Services.AddThreshold(builder.Configuration);

// Gifts, with a per-user rate limit
builder.Services.AddGifts();

// Moderator actions, each recorded in storage
builder.Services.AddAdmin();

// The chat page's public reads, /metrics and /api/recent: from storage, each read shared for a second
builder.Services.AddStats();

// Several instances on one PostgreSQL: each delivers what the others stored, applies their moderator actions, counts their viewers
builder.Services.AddCluster();

// The moderator dashboard's reads and live feed, for admins
builder.Services.AddModeratorDashboard(builder.Configuration);

// JSON bodies, {"detail"} errors, OpenAPI
builder.Services.AddApiJson();
builder.Services.AddApiErrors();
builder.Services.AddApiDocs();

// Client addresses from trusted reverse proxies only
builder.Services.AddForwardedHeadersFromProxies(builder.Configuration);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseSafeStreamRequestLogging();
app.UseApiErrors();
app.UseWebAssets();
app.UseApiDocs();
app.UseChatSockets();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapReadiness();
app.MapServerTelemetry();
app.MapMetricsAndRecent();
app.MapAuth();
app.MapGifts();
app.MapAdmin();
app.MapThreshold();
app.MapChat();
app.MapApiDocs();

// The viewer chat page and the moderator dashboard: embedded pages, strict CSP, no CDN
app.MapModeratorDashboard();
app.MapStorageFigures();
app.MapWebPages();

// A start-up failure is one logged line naming the key, a flushed log and exit code 1
return await app.RunOrExplainAsync();

public partial class Program;
