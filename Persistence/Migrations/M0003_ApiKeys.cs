using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HpSearch.Persistence.Migrations;

/// <summary>API keys with scopes, stored as hashes (issue 12).</summary>
[DbContext(typeof(HpSearchDb))]
[Migration("20261201000003_ApiKeys")]
public sealed class M0003_ApiKeys : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.Sql("""
            CREATE TABLE api_keys (
                id uuid PRIMARY KEY,
                name text NOT NULL,
                prefix text NOT NULL,
                hash text NOT NULL,
                scopes text NOT NULL,
                created_at timestamptz NOT NULL,
                revoked_at timestamptz NULL
            );
            CREATE UNIQUE INDEX ix_api_keys_hash ON api_keys (hash);
            """);
    }

    protected override void Down(MigrationBuilder m) => m.Sql("DROP TABLE api_keys;");
}
