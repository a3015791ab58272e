"""report_owed: reports owed per unit shown and schedule and how they came in,
kept with the schedules and submissions (data/metrics/summary.py); filled from
the rows already stored

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_owed",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("owed", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("unsent", sa.Integer(), nullable=False),
        sa.Column("filed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name="fk_report_owed_unit_id_admin_unit"
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["report_schedule.id"],
            name="fk_report_owed_schedule_id_report_schedule",
        ),
        sa.PrimaryKeyConstraint("unit_id", "schedule_id", name="pk_report_owed"),
    )
    # rows stored before this revision: counted as data.metrics.summary does
    from data.metrics.summary import REPORTS, rebuild

    rebuild(op.get_bind(), REPORTS)


def downgrade() -> None:
    op.drop_table("report_owed")
