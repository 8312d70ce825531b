using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HpSearch.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The schema exists: the hand-written migrations M0001-M0003 created it. This migration only records the
            // model snapshot (HpSearchDbModelSnapshot.cs) that dotnet-ef diffs the next migrations against.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
