using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoGen.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProviderSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "provider_limits",
                columns: table => new
                {
                    Provider = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    MaxConcurrent = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxSubmitsPerMinute = table.Column<int>(type: "INTEGER", nullable: true),
                    ModelsJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_provider_limits", x => x.Provider);
                });

            migrationBuilder.CreateTable(
                name: "provider_slots",
                columns: table => new
                {
                    VideoId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TakenAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedAtMs = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_provider_slots", x => x.VideoId);
                });

            migrationBuilder.CreateIndex(
                name: "ix_provider_slots_provider_released",
                table: "provider_slots",
                columns: new[] { "Provider", "ReleasedAtMs" });

            migrationBuilder.CreateIndex(
                name: "ix_provider_slots_provider_taken",
                table: "provider_slots",
                columns: new[] { "Provider", "TakenAtMs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "provider_limits");

            migrationBuilder.DropTable(
                name: "provider_slots");
        }
    }
}
