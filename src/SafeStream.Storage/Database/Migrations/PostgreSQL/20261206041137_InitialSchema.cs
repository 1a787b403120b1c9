using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SafeStream.Storage.Database.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "admin_actions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    source_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    admin_user = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    target_user = table.Column<string>(type: "text", nullable: true),
                    details = table.Column<string>(type: "text", nullable: true),
                    ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_actions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "chat_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    source_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    username = table.Column<string>(type: "text", nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    toxic = table.Column<bool>(type: "boolean", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    blocked = table.Column<bool>(type: "boolean", nullable: false),
                    ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "gifts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    source_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    from_user = table.Column<string>(type: "text", nullable: false),
                    gift_id = table.Column<int>(type: "integer", nullable: false),
                    amount = table.Column<int>(type: "integer", nullable: false),
                    ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gifts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    username = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    password_hash = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    is_admin = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    muted_until = table.Column<long>(type: "bigint", nullable: true),
                    tokens_valid_after = table.Column<long>(type: "bigint", nullable: true),
                    is_admin_at = table.Column<long>(type: "bigint", nullable: false),
                    is_active_at = table.Column<long>(type: "bigint", nullable: false),
                    muted_until_at = table.Column<long>(type: "bigint", nullable: false),
                    tokens_valid_after_at = table.Column<long>(type: "bigint", nullable: false),
                    password_hash_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_admin_actions_action_ts",
                table: "admin_actions",
                columns: new[] { "action", "ts" });

            migrationBuilder.CreateIndex(
                name: "IX_admin_actions_admin_user_ts",
                table: "admin_actions",
                columns: new[] { "admin_user", "ts" });

            migrationBuilder.CreateIndex(
                name: "IX_admin_actions_source_key",
                table: "admin_actions",
                column: "source_key",
                unique: true,
                filter: "source_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_admin_actions_target_user_ts",
                table: "admin_actions",
                columns: new[] { "target_user", "ts" });

            migrationBuilder.CreateIndex(
                name: "IX_admin_actions_ts",
                table: "admin_actions",
                column: "ts");

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_source_key",
                table: "chat_messages",
                column: "source_key",
                unique: true,
                filter: "source_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_toxic_ts",
                table: "chat_messages",
                column: "ts",
                filter: "toxic");

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_ts",
                table: "chat_messages",
                column: "ts");

            migrationBuilder.CreateIndex(
                name: "IX_gifts_source_key",
                table: "gifts",
                column: "source_key",
                unique: true,
                filter: "source_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_gifts_ts",
                table: "gifts",
                column: "ts");

            migrationBuilder.CreateIndex(
                name: "IX_users_username",
                table: "users",
                column: "username",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_actions");

            migrationBuilder.DropTable(
                name: "chat_messages");

            migrationBuilder.DropTable(
                name: "gifts");

            migrationBuilder.DropTable(
                name: "settings");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
