"""The units version: a meta entry that every write of the units or their
crosswalk moves on, by triggers, whoever writes (an import, the demo, the
July-2025 load, a command, a later migration).  The app keys the places it has
looked up (a breadcrumb's chain, a unit and its parent) by it instead of by the
facts version, so new facts no longer make it look them up again.

Revision ID: 0029
Revises: 0028
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "units_version"
TABLES = ("admin_unit", "unit_crosswalk")
# an upsert: the entry comes back if someone removed it
BUMP = (
    f"INSERT INTO meta (key, value) VALUES ('{KEY}', '1') "
    "ON CONFLICT (key) DO UPDATE SET value = "
    "CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
)


def upgrade() -> None:
    op.execute(f"INSERT INTO meta (key, value) VALUES ('{KEY}', '1')")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite has row triggers only: a bulk write moves it once per row
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_units_version "
                    f"AFTER {event} ON {table} BEGIN {BUMP}; END"
                )
        return
    op.execute(
        "CREATE FUNCTION units_version_bump() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_units_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{event}_units_version")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_units_version ON {table}")
        op.execute("DROP FUNCTION units_version_bump()")
    op.execute(f"DELETE FROM meta WHERE key = '{KEY}'")
