"""boundary.updated_at indexed: the boundary version every request reads is
max(updated_at) and count(*) of the table (data/metrics/dataset.py versions);
with the index both are answered from it rather than by a scan of the geometries

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_boundary_updated_at", "boundary", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_boundary_updated_at", table_name="boundary")
