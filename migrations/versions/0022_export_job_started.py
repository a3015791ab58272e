"""export_job.started_at: when a job worker took the job (NULL: it waits in the
job queue)

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("export_job") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True)))
    # jobs of the threads before the queue were started when they were created
    op.execute("UPDATE export_job SET started_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("export_job") as batch:
        batch.drop_column("started_at")
