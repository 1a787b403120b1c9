using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SafeStream.Storage.Database.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class Cluster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fanout",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    chat_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    gift_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    action_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fanout", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "instance_presence",
                columns: table => new
                {
                    instance = table.Column<int>(type: "integer", nullable: false),
                    viewers = table.Column<int>(type: "integer", nullable: false),
                    sockets = table.Column<int>(type: "integer", nullable: false),
                    seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_instance_presence", x => x.instance);
                });

            migrationBuilder.CreateIndex(
                name: "IX_fanout_at",
                table: "fanout",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fanout");

            migrationBuilder.DropTable(
                name: "instance_presence");
        }
    }
}
