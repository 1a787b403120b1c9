using SafeStream.Storage;

// Minimal host until the chat server lands (issue 3): storage and its status.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSafeStreamStorage(builder.Configuration);
var app = builder.Build();
app.MapGet("/healthz", (IStorageStatus status) => Results.Ok(new { status = "healthy", storage = status.Current }));
app.Run();

public partial class Program;
