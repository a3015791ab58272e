"""fund_month: đồng per unit shown, month and kind, kept with the fund bookings
(data/metrics/summary.py); filled from the bookings already stored

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fund_month",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("transfer_in", sa.BigInteger(), nullable=False),
        sa.Column("transfer_within", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cash', 'in_kind', 'programme')", name="ck_fund_month_kind"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name="fk_fund_month_unit_id_admin_unit"
        ),
        sa.PrimaryKeyConstraint("unit_id", "month", "kind", name="pk_fund_month"),
    )
    op.create_index("ix_fund_month_month", "fund_month", ["month", "unit_id"])
    # bookings stored before this revision: summed as data.metrics.summary does
    from data.metrics.summary import FUND, rebuild

    rebuild(op.get_bind(), FUND)


def downgrade() -> None:
    op.drop_index("ix_fund_month_month", table_name="fund_month")
    op.drop_table("fund_month")
