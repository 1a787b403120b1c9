using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Chat;

/// <summary>The <c>Limits</c> section: what one client may do, and what the server holds for it.</summary>
internal sealed class LimitsOptions : IValidatableObject
{
    public const string SectionName = "Limits";

    /// <summary>Longest chat message, in Unicode characters (code points, as Python's <c>len</c> counts them).</summary>
    [Range(1, 100_000)]
    public int MaxMessageChars { get; set; } = 500;

    /// <summary>Largest WebSocket frame read; a longer one is discarded and answered with an error frame.</summary>
    [Range(256, 4 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 8192;

    /// <summary>Open WebSockets in total (legacy alias <c>MAX_CONNECTIONS</c>).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Open WebSockets of one user (tabs, devices).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>Longest username (legacy alias <c>MAX_USERNAME_LENGTH</c>).</summary>
    [Range(1, 50)]
    public int MaxUsernameLength { get; set; } = 50;

    /// <summary>Chat messages one user may send per second, across all their sockets; 0 lifts the limit (benchmarks).</summary>
    [Range(0, 1_000_000)]
    public double MessagesPerSecond { get; set; } = 5;

    /// <summary>Messages a user may send at once before <see cref="MessagesPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int MessageBurst { get; set; } = 10;

    /// <summary>
    /// How often the accounts behind open chat sockets and dashboard feeds are read again, so that a disabled, kicked or
    /// demoted account, or an expired dashboard token, loses its socket or feed even when the change came from the
    /// admin command line or another instance.
    /// </summary>
    [Range(0.05, 600)]
    public double AccountRecheckSeconds { get; set; } = 2;

    /// <summary>Gifts one user may send per second (each is a storage write and a broadcast to every socket); 0 lifts the limit.</summary>
    [Range(0, 1_000_000)]
    public double GiftsPerSecond { get; set; } = 2;

    /// <summary>Gifts a user may send at once before <see cref="GiftsPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int GiftBurst { get; set; } = 10;

    /// <summary>The largest <c>amount</c> of one gift.</summary>
    [Range(1, int.MaxValue)]
    public int MaxGiftAmount { get; set; } = 1000;

    /// <summary>
    /// Frames waiting to be sent to one socket; at four times this it is dropped at once. Messages are delivered in
    /// batches of up to a quarter of this (at most 512), so a healthy client is never one batch from the limit.
    /// </summary>
    [Range(4, 1_000_000)]
    public int SendQueueFrames { get; set; } = 4096;

    /// <summary>
    /// Bytes waiting to be sent to one socket (the frame being written included); a socket past this is dropped at once,
    /// so a client that never reads holds at most this much of the server's memory. At least four of the largest chat
    /// frames (see <see cref="Validate"/>).
    /// </summary>
    [Range(16 * 1024, 1024 * 1024 * 1024)]
    public int SendQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a socket may take no frame (a pause, a GC) while frames wait for it, whatever their number, before it is
    /// dropped. An idle socket, with nothing waiting, is never dropped for this.
    /// </summary>
    [Range(0.0, 3600.0)]
    public double SlowClientSeconds { get; set; } = 2;

    /// <summary>The largest chat frame <see cref="MaxMessageChars"/> allows: four UTF-8 bytes a character, and room for the rest.</summary>
    public int LargestChatFrameBytes => (4 * MaxMessageChars) + 512;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SendQueueBytes < 4L * LargestChatFrameBytes)
        {
            yield return new ValidationResult(
                $"Limits:SendQueueBytes ({SendQueueBytes}) must hold at least four of the largest chat frames ({4L * LargestChatFrameBytes} bytes with MaxMessageChars {MaxMessageChars})",
                [nameof(SendQueueBytes)]);
        }
    }
}
