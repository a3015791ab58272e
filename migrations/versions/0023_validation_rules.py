"""validation_rule_set (the active validation rules of submitted reports) and
report_submission.rule_warnings, warning_comment (the warning rules a version
broke and the submitter's explanation)

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "validation_rule_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("rules", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_rule_set")),
    )
    with op.batch_alter_table("report_submission") as batch:
        batch.add_column(sa.Column("rule_warnings", sa.Text(), nullable=True))
        batch.add_column(sa.Column("warning_comment", sa.Text(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_report_submission_warning_comment"),
            "rule_warnings IS NULL OR warning_comment IS NOT NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("report_submission") as batch:
        batch.drop_constraint(
            op.f("ck_report_submission_warning_comment"), type_="check"
        )
        batch.drop_column("warning_comment")
        batch.drop_column("rule_warnings")
    op.drop_table("validation_rule_set")
