using System.Globalization;

namespace SafeStream.Bench.Load;

/// <summary>
/// Busy CPU of the whole machine from /proc/stat (Linux), so a row can say how much CPU other processes took during
/// its window: on a 2-core machine a compiler running next to the benchmark changes the figures.
/// </summary>
internal static class MachineCpu
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>Busy CPU seconds since boot, all cores; NaN where /proc/stat is missing.</summary>
    public static double BusySeconds()
    {
        try
        {
            var first = File.ReadLines("/proc/stat").First();
            var fields = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4]; // idle + iowait
            return (fields.Take(8).Sum() - idle) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
