"""demo_province: the provinces whose facts are still the demo's

One row per province (of either tree) seeded by the demo generator and not yet
cleared.  A database seeded before this revision (``meta`` key ``demo_seed``)
has every loaded province marked: the demo filled them all.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demo_province",
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("seeded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_id"],
            ["admin_unit.id"],
            name=op.f("fk_demo_province_province_id_admin_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("province_id", name=op.f("pk_demo_province")),
    )
    conn = op.get_bind()
    seed = conn.execute(
        sa.text("SELECT value FROM meta WHERE key = 'demo_seed'")
    ).scalar()
    if seed is None:
        return
    conn.execute(
        sa.text(
            "INSERT INTO demo_province (province_id, seeded_at, seed) "
            "SELECT id, CURRENT_TIMESTAMP, :seed FROM admin_unit "
            "WHERE level = 'province'"
        ),
        {"seed": int(seed) if str(seed).isdigit() else None},
    )


def downgrade() -> None:
    op.drop_table("demo_province")
