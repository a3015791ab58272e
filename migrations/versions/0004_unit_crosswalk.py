"""unit_crosswalk (legacy -> July-2025 units) and admin_unit.area_km2

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("admin_unit") as batch:
        batch.add_column(sa.Column("area_km2", sa.Float(), nullable=True))
    op.create_table(
        "unit_crosswalk",
        sa.Column("legacy_unit_id", sa.Integer(), nullable=False),
        sa.Column("new_unit_id", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("divided", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["legacy_unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_unit_crosswalk_legacy_unit_id_admin_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["new_unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_unit_crosswalk_new_unit_id_admin_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "legacy_unit_id", "new_unit_id", name=op.f("pk_unit_crosswalk")
        ),
    )
    op.create_index(
        op.f("ix_unit_crosswalk_new_unit_id"), "unit_crosswalk", ["new_unit_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_crosswalk_new_unit_id"), table_name="unit_crosswalk")
    op.drop_table("unit_crosswalk")
    with op.batch_alter_table("admin_unit") as batch:
        batch.drop_column("area_km2")
