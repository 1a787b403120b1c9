using Npgsql;

namespace SafeStream.Storage;

/// <summary>
/// <c>postgresql://user:password@host:port/database?sslmode=…</c> (also <c>postgres://</c> and SQLAlchemy's
/// <c>postgresql+driver://</c>) as an Npgsql connection string. Parts are percent-decoded; a query parameter we do not
/// know is refused rather than dropped (a mistyped <c>sslmode</c> must not quietly mean no TLS).
/// </summary>
internal static class PostgresUrl
{
    public static string ToConnectionString(string url)
    {
        var sep = url.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            throw new FormatException("it has no scheme (postgresql://…)");
        }

        var scheme = url[..sep].ToLowerInvariant();
        if (scheme.IndexOf('+') is var plus and >= 0)
        {
            scheme = scheme[..plus]; // postgresql+asyncpg, +psycopg…: the driver is Python's business
        }

        if (scheme is not ("postgresql" or "postgres"))
        {
            throw new FormatException($"the scheme '{url[..sep]}' is neither sqlite nor postgresql");
        }

        var rest = Cut(url[(sep + 3)..], '#', out _);
        rest = Cut(rest, '?', out var query);
        var authority = Cut(rest, '/', out var path);
        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon >= 0 ? credentials[..colon] : credentials);
            if (colon >= 0)
            {
                builder.Password = Decode(credentials[(colon + 1)..]);
            }

            authority = authority[(at + 1)..];
        }

        SetHosts(builder, authority);
        if (path is { Length: > 0 })
        {
            builder.Database = Decode(path);
        }

        foreach (var pair in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq >= 0 ? pair[..eq] : pair);
            Apply(builder, key, Decode(eq >= 0 ? pair[(eq + 1)..] : ""));
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new FormatException("it names no host");
        }

        return builder.ConnectionString;
    }

    private static string Cut(string text, char at, out string? after)
    {
        var i = text.IndexOf(at, StringComparison.Ordinal);
        after = i >= 0 ? text[(i + 1)..] : null;
        return i >= 0 ? text[..i] : text;
    }

    private static string Decode(string part) => Uri.UnescapeDataString(part);

    /// <summary><c>host</c>, <c>host:port</c>, <c>[::1]:5433</c>, or several, comma-separated (Npgsql's multi-host form).</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        if (authority.Length == 0)
        {
            return;
        }

        var hosts = authority.Split(',');
        if (hosts.Length > 1)
        {
            builder.Host = string.Join(',', hosts.Select(Decode));
            return;
        }

        var host = hosts[0];
        var colon = host.LastIndexOf(':');
        var bracket = host.LastIndexOf(']');
        if (colon > bracket)
        {
            builder.Port = int.TryParse(host[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? port
                : throw new FormatException($"the port '{host[(colon + 1)..]}' is not a number from 1 to 65535");
            host = host[..colon];
        }

        builder.Host = Decode(host.Trim('[', ']'));
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "ssl" when value is "require" or "true":
                builder.SslMode = SslMode.Require;
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = Seconds(key, value);
                break;
            case "command_timeout":
                builder.CommandTimeout = Seconds(key, value);
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslpassword":
                builder.SslPassword = value;
                break;
            case "target_session_attrs":
                builder["Target Session Attributes"] = value;
                break;
            case "options":
                builder.Options = value;
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = Seconds(key, value);
                break;
            default:
                throw new FormatException($"the parameter '{key}' is not one SafeStream knows (sslmode, ssl, application_name, connect_timeout, command_timeout, sslrootcert, sslcert, sslkey, sslpassword, target_session_attrs, options, user, password, dbname, host, port)");
        }
    }

    private static int Seconds(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{key} '{value}' is not a whole number");
}
