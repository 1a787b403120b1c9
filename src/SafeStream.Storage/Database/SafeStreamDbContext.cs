using Microsoft.EntityFrameworkCore;

namespace SafeStream.Storage.Database;

/// <summary>
/// The schema. Reads go through EF Core; writes go through <see cref="DbWriter"/> in raw SQL for group commit. This
/// type carries the SQLite migrations; <see cref="PostgresDbContext"/> the same model with PostgreSQL's.
/// </summary>
internal class SafeStreamDbContext : DbContext
{
    public SafeStreamDbContext(DbContextOptions<SafeStreamDbContext> options)
        : base(options)
    {
    }

    protected SafeStreamDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<UserRow> Users => Set<UserRow>();

    public DbSet<ChatMessageRow> ChatMessages => Set<ChatMessageRow>();

    public DbSet<GiftRow> Gifts => Set<GiftRow>();

    public DbSet<AdminActionRow> AdminActions => Set<AdminActionRow>();

    public DbSet<SettingRow> Settings => Set<SettingRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasColumnName("id");
            e.Property(u => u.Username).HasColumnName("username").HasMaxLength(50);
            e.Property(u => u.Email).HasColumnName("email").HasMaxLength(320);
            e.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(100);
            e.Property(u => u.IsActive).HasColumnName("is_active");
            e.Property(u => u.IsAdmin).HasColumnName("is_admin");
            e.Property(u => u.CreatedAt).HasColumnName("created_at");
            e.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            e.Property(u => u.MutedUntil).HasColumnName("muted_until");
            e.Property(u => u.TokensValidAfter).HasColumnName("tokens_valid_after");
            e.Property(u => u.IsAdminAt).HasColumnName("is_admin_at");
            e.Property(u => u.IsActiveAt).HasColumnName("is_active_at");
            e.Property(u => u.MutedUntilAt).HasColumnName("muted_until_at");
            e.Property(u => u.TokensValidAfterAt).HasColumnName("tokens_valid_after_at");
            e.Property(u => u.PasswordHashAt).HasColumnName("password_hash_at");
            e.HasIndex(u => u.Username).IsUnique();
        });

        modelBuilder.Entity<ChatMessageRow>(e =>
        {
            e.ToTable("chat_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(m => m.SourceKey).HasColumnName("source_key");
            e.Property(m => m.Username).HasColumnName("username");
            e.Property(m => m.Message).HasColumnName("message");
            e.Property(m => m.Toxic).HasColumnName("toxic");
            e.Property(m => m.Score).HasColumnName("score");
            e.Property(m => m.Blocked).HasColumnName("blocked");
            e.Property(m => m.Ts).HasColumnName("ts");
            // Every index is paid on each insert, so only what the queries use: recent and counts by ts, toxic ones
            // by a partial index, source keys only for imported rows. A (username, ts) index would triple insert cost
            // (random positions) and the dashboard's substring filter could not use it anyway.
            e.HasIndex(m => m.SourceKey).IsUnique().HasFilter("source_key IS NOT NULL");
            e.HasIndex(m => m.Ts);
            e.HasIndex(m => m.Ts, "IX_chat_messages_toxic_ts").HasFilter("toxic");
        });

        modelBuilder.Entity<GiftRow>(e =>
        {
            e.ToTable("gifts");
            e.HasKey(g => g.Id);
            e.Property(g => g.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(g => g.SourceKey).HasColumnName("source_key");
            e.Property(g => g.FromUser).HasColumnName("from_user");
            e.Property(g => g.GiftId).HasColumnName("gift_id");
            e.Property(g => g.Amount).HasColumnName("amount");
            e.Property(g => g.Ts).HasColumnName("ts");
            e.HasIndex(g => g.SourceKey).IsUnique().HasFilter("source_key IS NOT NULL");
            e.HasIndex(g => g.Ts);
        });

        modelBuilder.Entity<AdminActionRow>(e =>
        {
            e.ToTable("admin_actions");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(a => a.SourceKey).HasColumnName("source_key");
            e.Property(a => a.AdminUser).HasColumnName("admin_user");
            e.Property(a => a.Action).HasColumnName("action");
            e.Property(a => a.TargetUser).HasColumnName("target_user");
            e.Property(a => a.Details).HasColumnName("details");
            e.Property(a => a.Ts).HasColumnName("ts");
            e.HasIndex(a => a.SourceKey).IsUnique().HasFilter("source_key IS NOT NULL");
            e.HasIndex(a => a.Ts);
            e.HasIndex(a => new { a.AdminUser, a.Ts });
            e.HasIndex(a => new { a.TargetUser, a.Ts });
            e.HasIndex(a => new { a.Action, a.Ts });
        });

        modelBuilder.Entity<SettingRow>(e =>
        {
            e.ToTable("settings");
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasColumnName("key");
            e.Property(s => s.Value).HasColumnName("value");
            e.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        });
    }
}
