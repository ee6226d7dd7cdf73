using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoGen.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProviderCanceledAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ProviderCanceledAt",
                table: "videos",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProviderCanceledAt",
                table: "videos");
        }
    }
}
