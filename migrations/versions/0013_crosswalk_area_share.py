"""unit_crosswalk.area_share: a divided commune's area share in each successor

Filled from real boundaries whenever boundaries are written (geo/shares.py).

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit_crosswalk") as batch:
        batch.add_column(sa.Column("area_share", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit_crosswalk") as batch:
        batch.drop_column("area_share")
