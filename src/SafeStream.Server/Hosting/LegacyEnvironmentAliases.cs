using System.Collections;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace SafeStream.Server.Hosting;

/// <summary>
/// The legacy service's environment variables, read as the configuration keys they stand for. They rank like
/// environment variables: above <c>appsettings.json</c>, below <c>Section__Key</c> variables and the command line.
/// (The storage aliases <c>DATABASE_URL</c> and <c>SAFESTREAM_USERS_FILE</c> belong to the storage layer.)
/// </summary>
internal static class LegacyEnvironmentAliases
{
    public static IReadOnlyDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["JWT_SECRET_KEY"] = "Jwt:SecretKey",
        ["JWT_EXPIRE_MINUTES"] = "Jwt:ExpireMinutes",
        ["TOXIC_THRESHOLD"] = "Moderation:Threshold",
        ["MAX_CONNECTIONS"] = "Limits:MaxConnections",
        ["MAX_USERNAME_LENGTH"] = "Limits:MaxUsernameLength",
    };

    /// <summary>The configuration values the legacy variables in <paramref name="environment"/> stand for.</summary>
    public static Dictionary<string, string?> Translate(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && Map.TryGetValue(name, out var key) && entry.Value is string { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Adds the aliases just below the first unprefixed environment-variable source (or last when there is none).</summary>
    public static IConfigurationBuilder AddLegacyEnvironmentAliases(this IConfigurationBuilder builder, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var source = new MemoryConfigurationSource { InitialData = Translate(environment ?? Environment.GetEnvironmentVariables()) };
        var index = builder.Sources
            .Select((s, i) => (s, i))
            .FirstOrDefault(x => x.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" }, (null!, builder.Sources.Count))
            .Item2;
        builder.Sources.Insert(index, source);
        return builder;
    }
}
