"""report_file, report_figure: submitted report workbooks and their figures

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTIONS = (
    "group",
    "case",
    "fund",
    "activity_events",
    "activity_children",
    "staff_trained",
)


def upgrade() -> None:
    op.create_table(
        "report_file",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["report_submission.id"],
            name=op.f("fk_report_file_submission_id_report_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_report_file")),
    )
    op.create_table(
        "report_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=24), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("age_band", sa.String(length=8), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "section IN (" + ", ".join(f"'{s}'" for s in SECTIONS) + ")",
            name=op.f("ck_report_figure_section"),
        ),
        sa.CheckConstraint("value >= 0", name=op.f("ck_report_figure_value")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["report_submission.id"],
            name=op.f("fk_report_figure_submission_id_report_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_figure")),
    )
    op.create_index(
        op.f("ix_report_figure_submission_id"),
        "report_figure",
        ["submission_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_report_figure_submission_id"), table_name="report_figure")
    op.drop_table("report_figure")
    op.drop_table("report_file")
