"""child_friendly_assessment.decision_ref: the number of the district chairman's
decision (e.g. "125/QĐ-UBND"), as an imported assessment gives it with the
decision's date (data.fact_import).

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN on both backends: SQLite's batch mode would copy the
    # table, and the scores (ON DELETE CASCADE) would go with the old one
    op.add_column(
        "child_friendly_assessment",
        sa.Column("decision_ref", sa.String(length=64), nullable=True),
    )


def downgrade() -> None:
    # DROP COLUMN in place (SQLite 3.35+): the scores stay
    op.drop_column("child_friendly_assessment", "decision_ref")
