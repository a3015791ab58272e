"""fund_contribution.booking_ref: the importing office's own reference of a booking

Unique per unit (unit_id, booking_ref), so that importing a file again updates
the bookings it names instead of adding them twice (data.fact_import).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fund_contribution") as batch:
        batch.add_column(
            sa.Column("booking_ref", sa.String(length=32), nullable=True)
        )
        batch.create_unique_constraint(
            "uq_fund_contribution_unit_id_booking_ref", ["unit_id", "booking_ref"]
        )


def downgrade() -> None:
    with op.batch_alter_table("fund_contribution") as batch:
        batch.drop_constraint(
            "uq_fund_contribution_unit_id_booking_ref", type_="unique"
        )
        batch.drop_column("booking_ref")
