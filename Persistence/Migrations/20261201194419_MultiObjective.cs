using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MultiObjective : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "front_json",
                table: "experiments",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "objectives_json",
                table: "experiments",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "front_json",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "objectives_json",
                table: "experiments");
        }
    }
}
