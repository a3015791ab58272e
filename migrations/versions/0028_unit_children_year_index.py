"""unit_children.year indexed: every rate's denominator reads the year's rows
of the communes (data/metrics/rollup.py year_children); without the index the
planner walks every commune to probe for a row, with it it reads the year's rows
(none, most years, on a database whose children were never imported by year)

Revision ID: 0028
Revises: 0027
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_unit_children_year", "unit_children", ["year"])


def downgrade() -> None:
    op.drop_index("ix_unit_children_year", table_name="unit_children")
