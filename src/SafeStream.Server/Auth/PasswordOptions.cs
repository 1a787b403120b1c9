using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Auth;

/// <summary>The <c>Passwords</c> section.</summary>
internal sealed class PasswordOptions
{
    public const string SectionName = "Passwords";

    /// <summary>bcrypt cost of new hashes; existing hashes keep their own cost.</summary>
    [Range(4, 31)]
    public int BcryptCost { get; set; } = 12;

    /// <summary>bcrypt runs at once for requests (login, register); by default half the cores, so the chat keeps the rest.</summary>
    [Range(1, 1_024)]
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Requests that may wait for a bcrypt slot; more are answered 503 with <c>Retry-After</c>.</summary>
    [Range(0, 100_000)]
    public int HashQueueLimit { get; set; } = 64;
}
