using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeStream.Storage.Database.Migrations
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
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    source_key = table.Column<byte[]>(type: "BLOB", nullable: true),
                    admin_user = table.Column<string>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", nullable: false),
                    target_user = table.Column<string>(type: "TEXT", nullable: true),
                    details = table.Column<string>(type: "TEXT", nullable: true),
                    ts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admin_actions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "chat_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    source_key = table.Column<byte[]>(type: "BLOB", nullable: true),
                    username = table.Column<string>(type: "TEXT", nullable: false),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    toxic = table.Column<bool>(type: "INTEGER", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false),
                    blocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    ts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "gifts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    source_key = table.Column<byte[]>(type: "BLOB", nullable: true),
                    from_user = table.Column<string>(type: "TEXT", nullable: false),
                    gift_id = table.Column<int>(type: "INTEGER", nullable: false),
                    amount = table.Column<int>(type: "INTEGER", nullable: false),
                    ts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gifts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    username = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_admin = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    muted_until = table.Column<long>(type: "INTEGER", nullable: true),
                    tokens_valid_after = table.Column<long>(type: "INTEGER", nullable: true)
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
