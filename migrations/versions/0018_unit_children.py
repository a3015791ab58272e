"""unit_children: children under 16 of a unit in a year, the denominator of
that year's rates (admin_unit.children_u16 stays the figure of years without
a row)

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_children",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("children_u16", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.CheckConstraint("children_u16 >= 0", name="ck_unit_children_children"),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name="fk_unit_children_unit_id_admin_unit",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("unit_id", "year", name="pk_unit_children"),
    )


def downgrade() -> None:
    op.drop_table("unit_children")
