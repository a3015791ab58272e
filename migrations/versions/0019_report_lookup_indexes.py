"""Indexes for the question every map statement asks: is there any submitted
report with figures of a section in the period (from the section's figures,
and the schedules by period)

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_report_figure_section", "report_figure", ["section", "submission_id"]
    )
    op.create_index(
        "ix_report_schedule_period", "report_schedule", ["period_start", "period_end"]
    )


def downgrade() -> None:
    op.drop_index("ix_report_schedule_period", table_name="report_schedule")
    op.drop_index("ix_report_figure_section", table_name="report_figure")
