using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using SafeStream.Bench.Storage;

namespace SafeStream.Bench.Import;

/// <summary>
/// The reference for an import into PostgreSQL: the rows the import inserts (the CSV files beside the logs) by a raw
/// binary COPY into the same tables, made by the same migrations. Rows are read from the CSV a chunk at a time
/// outside the clock, so only the COPY is timed and memory stays bounded whatever the size.
/// </summary>
internal static class CopyFromCsv
{
    private const int ChunkRows = 100_000;

    // Column kinds in the tables' order: l bigint, k source key (hex in the CSV, bytea), s text (empty: NULL),
    // b boolean (0/1), d double precision, i integer.
    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["chat_messages"] = "lkssbdbl",
        ["gifts"] = "lksiil",
        ["admin_actions"] = "lkssssl",
    };

    public static async Task<double> RowsPerSecondAsync(string csvFolder, string connectionString, string dir, CancellationToken cancellationToken)
    {
        await using var connection = await RawNpgsql.OpenAsync(connectionString, dir, cancellationToken);
        long rows = 0;
        var copying = TimeSpan.Zero;
        foreach (var table in CsvRows.Tables)
        {
            using var reader = new StreamReader(Path.Combine(csvFolder, table + ".csv"), Encoding.UTF8);
            var columns = reader.ReadLine() ?? throw new InvalidDataException($"{table}.csv has no header");
            List<object?[]> chunk;
            while ((chunk = ReadChunk(reader, Kinds[table])).Count > 0)
            {
                var start = Stopwatch.GetTimestamp();
                using (var copy = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var row in chunk)
                    {
                        copy.StartRow();
                        foreach (var value in row)
                        {
                            Write(copy, value);
                        }
                    }

                    copy.Complete();
                }

                copying += Stopwatch.GetElapsedTime(start);
                rows += chunk.Count;
            }
        }

        return rows / copying.TotalSeconds;
    }

    private static void Write(NpgsqlBinaryImporter copy, object? value)
    {
        switch (value)
        {
            case long l:
                copy.Write(l, NpgsqlDbType.Bigint);
                break;
            case int i:
                copy.Write(i, NpgsqlDbType.Integer);
                break;
            case double d:
                copy.Write(d, NpgsqlDbType.Double);
                break;
            case bool b:
                copy.Write(b, NpgsqlDbType.Boolean);
                break;
            case byte[] bytes:
                copy.Write(bytes, NpgsqlDbType.Bytea);
                break;
            case string s:
                copy.Write(s, NpgsqlDbType.Text);
                break;
            default:
                copy.WriteNull();
                break;
        }
    }

    private static List<object?[]> ReadChunk(StreamReader reader, string kinds)
    {
        var chunk = new List<object?[]>(ChunkRows);
        while (chunk.Count < ChunkRows && reader.ReadLine() is { } line)
        {
            var fields = Fields(line, reader);
            if (fields.Count != kinds.Length)
            {
                throw new InvalidDataException($"{fields.Count} fields where {kinds.Length} were expected: {line}");
            }

            chunk.Add([.. fields.Select((f, i) => Typed(kinds[i], f))]);
        }

        return chunk;
    }

    private static object? Typed(char kind, string? field) => field is null ? null : kind switch
    {
        'l' => long.Parse(field, CultureInfo.InvariantCulture),
        'k' => Convert.FromHexString(field),
        'b' => field == "1",
        'd' => double.Parse(field, CultureInfo.InvariantCulture),
        'i' => int.Parse(field, CultureInfo.InvariantCulture),
        _ => field,
    };

    /// <summary>The fields of one CSV record as <see cref="CsvRows"/> writes it: null for an empty unquoted field.</summary>
    private static List<string?> Fields(string line, StreamReader reader)
    {
        var fields = new List<string?>();
        var field = new StringBuilder();
        bool quoted = false, inQuotes = false;
        for (var i = 0; ; i++)
        {
            if (i == line.Length)
            {
                if (!inQuotes)
                {
                    fields.Add(quoted || field.Length > 0 ? field.ToString() : null);
                    return fields;
                }

                // A line break inside a quoted field belongs to the field.
                line = reader.ReadLine() ?? throw new InvalidDataException("the CSV ends inside a quoted field");
                field.Append('\n');
                i = -1;
                continue;
            }

            var c = line[i];
            if (inQuotes)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(quoted || field.Length > 0 ? field.ToString() : null);
                field.Clear();
                quoted = false;
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
