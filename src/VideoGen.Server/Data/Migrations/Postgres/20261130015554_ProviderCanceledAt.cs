using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VideoGen.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProviderCanceledAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ProviderCanceledAt",
                table: "videos",
                type: "timestamp with time zone",
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
