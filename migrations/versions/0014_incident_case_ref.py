"""incident.case_ref: the importing office's own reference of a case

Unique per commune (unit_id, case_ref), so that importing a file again updates
the cases it names instead of adding them twice (data.fact_import).

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("case_ref", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(
            "uq_incident_unit_id_case_ref", ["unit_id", "case_ref"]
        )


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_constraint("uq_incident_unit_id_case_ref", type_="unique")
        batch.drop_column("case_ref")
