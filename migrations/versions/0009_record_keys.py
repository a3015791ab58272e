"""record_key of incident, report_figure, indicator_value: the cell key method

Existing rows get a random key each, drawn once here (data.suppression).

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("incident", "report_figure", "indicator_value")
MODULUS = 2**32


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    draw = (
        f"abs(random()) % {MODULUS}"
        if sqlite
        else f"floor(random() * {MODULUS})::bigint"
    )
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("record_key", sa.BigInteger(), nullable=True))
        op.execute(f"UPDATE {table} SET record_key = {draw}")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("record_key", existing_type=sa.BigInteger(), nullable=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("record_key")
