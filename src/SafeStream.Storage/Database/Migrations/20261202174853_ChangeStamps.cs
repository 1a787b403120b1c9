using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeStream.Storage.Database.Migrations
{
    /// <inheritdoc />
    public partial class ChangeStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "is_active_at",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "is_admin_at",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "muted_until_at",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "password_hash_at",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "tokens_valid_after_at",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "updated_at",
                table: "settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_active_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "is_admin_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "muted_until_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "password_hash_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "tokens_valid_after_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "updated_at",
                table: "settings");
        }
    }
}
