using Microsoft.EntityFrameworkCore;

namespace SafeStream.Storage.Database;

/// <summary>
/// The same schema on PostgreSQL: its own type so that EF Core applies PostgreSQL's committed migrations to it, plus
/// the tables only several instances need (fan-out, presence and the shared sign-in limits).
/// </summary>
internal sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : SafeStreamDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<FanoutRow>(e =>
        {
            e.ToTable("fanout");
            e.HasKey(f => f.Seq);
            e.Property(f => f.Seq).HasColumnName("seq").UseIdentityAlwaysColumn();
            e.Property(f => f.ChatIds).HasColumnName("chat_ids");
            e.Property(f => f.GiftIds).HasColumnName("gift_ids");
            e.Property(f => f.ActionIds).HasColumnName("action_ids");
            e.Property(f => f.At).HasColumnName("at").HasDefaultValueSql("now()");
            e.HasIndex(f => f.At); // the cleanup's
        });

        modelBuilder.Entity<PresenceRow>(e =>
        {
            e.ToTable("instance_presence");
            e.HasKey(p => p.Instance);
            e.Property(p => p.Instance).HasColumnName("instance").ValueGeneratedNever();
            e.Property(p => p.Viewers).HasColumnName("viewers");
            e.Property(p => p.Sockets).HasColumnName("sockets");
            e.Property(p => p.SeenAt).HasColumnName("seen_at");
        });

        modelBuilder.Entity<SignInLimitRow>(e =>
        {
            e.ToTable("sign_in_limits");
            e.HasKey(l => l.Key);
            e.Property(l => l.Key).HasColumnName("key");
            e.Property(l => l.Value).HasColumnName("value");
            e.Property(l => l.Stamp).HasColumnName("stamp");
            e.Property(l => l.Expires).HasColumnName("expires");
            e.HasIndex(l => l.Expires); // the cleanup's
        });
    }
}
