using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExperimentLabels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "note",
                table: "experiments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "tags",
                table: "experiments",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_tags",
                table: "experiments",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_experiments_tags",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "note",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "tags",
                table: "experiments");
        }
    }
}
