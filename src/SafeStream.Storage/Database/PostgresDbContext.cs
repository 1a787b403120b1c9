using Microsoft.EntityFrameworkCore;

namespace SafeStream.Storage.Database;

/// <summary>
/// The same schema on PostgreSQL: its own type so that EF Core applies PostgreSQL's committed migrations to it, plus
/// the two tables only several instances need (fan-out and presence).
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
    }
}
