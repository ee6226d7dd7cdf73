using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoGen.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Priority",
                table: "videos",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<decimal>(
                name: "SpentCostUsd",
                table: "videos",
                type: "TEXT",
                precision: 18,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "DailyBudgetUsd",
                table: "users",
                type: "TEXT",
                precision: 18,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxActiveVideos",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SubmissionsPerMinute",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tier",
                table: "users",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Location = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => new { x.OwnerId, x.Scope, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_videos_user_id_submitted_at",
                table: "videos",
                columns: new[] { "UserId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_expires_at",
                table: "idempotency_keys",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropIndex(
                name: "ix_videos_user_id_submitted_at",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "SpentCostUsd",
                table: "videos");

            migrationBuilder.DropColumn(
                name: "DailyBudgetUsd",
                table: "users");

            migrationBuilder.DropColumn(
                name: "MaxActiveVideos",
                table: "users");

            migrationBuilder.DropColumn(
                name: "SubmissionsPerMinute",
                table: "users");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "users");
        }
    }
}
