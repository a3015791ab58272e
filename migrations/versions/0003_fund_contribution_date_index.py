"""Index fund contributions by date (period sums and the years on offer)

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_fund_contribution_date", "fund_contribution", ["contributed_on"])


def downgrade() -> None:
    op.drop_index("ix_fund_contribution_date", table_name="fund_contribution")
