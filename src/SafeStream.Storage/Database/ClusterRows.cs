namespace SafeStream.Storage.Database;

/// <summary>
/// One committed live batch, PostgreSQL only: the ids other instances fetch and deliver. <see cref="Seq"/> follows
/// commit order (the writer takes a transaction-scoped advisory lock just before inserting it), so a reader's cursor
/// never skips a row that commits late.
/// </summary>
internal sealed class FanoutRow
{
    public long Seq { get; set; }

    public long[] ChatIds { get; set; } = [];

    public long[] GiftIds { get; set; } = [];

    public long[] ActionIds { get; set; } = [];

    public DateTimeOffset At { get; set; }
}

/// <summary>An instance's last heartbeat: its viewers, for a <c>viewer_count</c> of all live instances.</summary>
internal sealed class PresenceRow
{
    public int Instance { get; set; }

    public int Viewers { get; set; }

    public int Sockets { get; set; }

    public DateTimeOffset SeenAt { get; set; }
}

/// <summary>
/// A sign-in counter shared by the instances (see <see cref="SignIn.PostgresSignInCounters"/>): a bucket's tokens, a
/// window's uses or a key's failures in <see cref="Value"/>, when it was last touched, and when it means nothing any more.
/// </summary>
internal sealed class SignInLimitRow
{
    public string Key { get; set; } = "";

    public double Value { get; set; }

    public DateTimeOffset Stamp { get; set; }

    public DateTimeOffset Expires { get; set; }
}
