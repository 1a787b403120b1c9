using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SafeStream.Storage.Database.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class SignInLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sign_in_limits",
                columns: table => new
                {
                    key = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    stamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sign_in_limits", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_limits_expires",
                table: "sign_in_limits",
                column: "expires");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sign_in_limits");
        }
    }
}
