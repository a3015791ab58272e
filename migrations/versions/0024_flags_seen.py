"""report_approval.flags_seen: the outlier flags shown to the approver when a
version was approved (data.outliers); NULL for the other steps and for
approvals before the flags existed

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_approval") as batch:
        batch.add_column(sa.Column("flags_seen", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_approval") as batch:
        batch.drop_column("flags_seen")
