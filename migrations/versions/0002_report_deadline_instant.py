"""report_schedule.deadline_at: the first instant that is late, in UTC

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.periods import deadline_instant

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_schedule") as batch:
        batch.add_column(sa.Column("deadline_at", sa.DateTime(timezone=True)))
    table = sa.table(
        "report_schedule",
        sa.column("id", sa.Integer),
        sa.column("due_date", sa.Date),
        sa.column("due_inclusive", sa.Boolean),
        sa.column("deadline_at", sa.DateTime(timezone=True)),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(table.c.id, table.c.due_date, table.c.due_inclusive))
    for id_, due, inclusive in rows.all():
        instant = deadline_instant(due, bool(inclusive))
        conn.execute(
            table.update().where(table.c.id == id_).values(deadline_at=instant)
        )
    with op.batch_alter_table("report_schedule") as batch:
        batch.alter_column("deadline_at", nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("report_schedule") as batch:
        batch.drop_column("deadline_at")
