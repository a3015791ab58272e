"""report_approval and report_submission.approval: the sign-off of submitted
reports (a version approved, returned with a reason, an approval withdrawn)

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # versions sent before sign-off existed await a decision like any new one
    with op.batch_alter_table("report_submission") as batch:
        batch.add_column(
            sa.Column(
                "approval",
                sa.String(length=16),
                server_default="pending",
                nullable=False,
            )
        )
        batch.create_check_constraint(
            op.f("ck_report_submission_approval"),
            "approval IN ('pending', 'approved', 'returned')",
        )
    op.create_table(
        "report_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('approve', 'return', 'withdraw')",
            name=op.f("ck_report_approval_action"),
        ),
        sa.CheckConstraint(
            "action = 'approve' OR comment IS NOT NULL",
            name=op.f("ck_report_approval_comment_required"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["report_schedule.id"],
            name=op.f("fk_report_approval_schedule_id_report_schedule"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_report_approval_unit_id_admin_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["report_submission.id"],
            name=op.f("fk_report_approval_submission_id_report_submission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_report_approval_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_approval")),
        sa.UniqueConstraint(
            "schedule_id",
            "unit_id",
            "step",
            name=op.f("uq_report_approval_schedule_id_unit_id_step"),
        ),
    )
    op.create_index(
        op.f("ix_report_approval_submission_id"),
        "report_approval",
        ["submission_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_report_approval_submission_id"), table_name="report_approval"
    )
    op.drop_table("report_approval")
    with op.batch_alter_table("report_submission") as batch:
        batch.drop_constraint(op.f("ck_report_submission_approval"), type_="check")
        batch.drop_column("approval")
