"""incident_month: cases per unit shown, month, category and type, kept with
the cases (data/metrics/summary.py); filled from the cases already stored

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incident_month",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("type_code", sa.String(length=16), nullable=False),
        sa.Column("cases", sa.Float(), nullable=False),
        sa.Column("key_sum", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "category IN ('abuse', 'injury')", name="ck_incident_month_category"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name="fk_incident_month_unit_id_admin_unit",
        ),
        sa.PrimaryKeyConstraint(
            "unit_id", "month", "category", "type_code", name="pk_incident_month"
        ),
    )
    op.create_index("ix_incident_month_month", "incident_month", ["month", "unit_id"])
    # cases stored before this revision: summed as data.metrics.summary does
    from data.metrics.summary import INCIDENTS, rebuild

    rebuild(op.get_bind(), INCIDENTS)


def downgrade() -> None:
    op.drop_index("ix_incident_month_month", table_name="incident_month")
    op.drop_table("incident_month")
