using System.Text;
using SafeStream.Storage;
using Serilog.Sinks.File;

namespace SafeStream.Server.Hosting;

/// <summary>
/// The log files are the owner's alone (0600, in a 0700 folder), whatever the umask: they name users, addresses and
/// moderation. Serilog's file sink takes no mode, so its folder is made here before the sink starts, and each file it
/// opens is narrowed by a lifecycle hook the moment it is opened (the 0700 folder keeps others out meanwhile).
/// Every <c>File</c> sink under <c>Serilog:WriteTo</c> gets the hook unless the operator set hooks of their own.
/// </summary>
internal sealed class PrivateLogFiles : FileLifecycleHooks
{
    private const string HookReference = $"{nameof(SafeStream)}.{nameof(Server)}.{nameof(Hosting)}.{nameof(PrivateLogFiles)}::{nameof(Instance)}, SafeStream.Server";

    /// <summary>What <c>"hooks"</c> in a <c>File</c> sink's arguments names.</summary>
    public static PrivateLogFiles Instance { get; } = new();

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, SecureFiles.FileMode);
        }

        return underlyingStream;
    }

    /// <summary>
    /// The configuration Serilog reads: <paramref name="configuration"/> with the hook added to every file sink, whose
    /// folder is created 0700 on the way.
    /// </summary>
    public static IConfiguration Apply(IConfiguration configuration)
    {
        var added = new Dictionary<string, string?>();
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            var path = sink["Args:path"];
            if (!string.Equals(sink["Name"], "File", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(path))
            {
                continue;
            }

            SecureFiles.CreateParent(Environment.ExpandEnvironmentVariables(path));
            if (sink["Args:hooks"] is null)
            {
                added[$"{sink.Path}:Args:hooks"] = HookReference;
            }
        }

        return added.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(added).Build();
    }
}
