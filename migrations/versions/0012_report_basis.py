"""report_schedule.basis and the report types of the Action Month and the
child-friendly dossiers (ACTION_MONTH, CF_REGISTER, CF_RESULTS)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_report_schedule_report_type"
BEFORE = ("Q1", "H1", "M9", "ANNUAL", "ADHOC", "THEMATIC")
AFTER = (*BEFORE, "ACTION_MONTH", "CF_REGISTER", "CF_RESULTS")


def _types(codes: tuple[str, ...]) -> str:
    return "report_type IN ({})".format(", ".join(f"'{c}'" for c in codes))


def _replace_check(codes: tuple[str, ...]) -> None:
    # the named check dropped and written again with the new list (SQLite
    # rebuilds the table: batch mode)
    with op.batch_alter_table("report_schedule") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint(op.f(CHECK), _types(codes))


def upgrade() -> None:
    with op.batch_alter_table("report_schedule") as batch:
        batch.add_column(sa.Column("basis", sa.String(length=255), nullable=True))
    _replace_check(AFTER)


def downgrade() -> None:
    # the schedules of the new types cannot stay: they go with what was sent
    gone = f"SELECT id FROM report_schedule WHERE NOT ({_types(BEFORE)})"
    sent = f"SELECT id FROM report_submission WHERE schedule_id IN ({gone})"
    for table in ("report_figure", "report_file"):
        op.execute(f"DELETE FROM {table} WHERE submission_id IN ({sent})")
    op.execute(f"DELETE FROM report_submission WHERE schedule_id IN ({gone})")
    op.execute(f"DELETE FROM report_schedule WHERE NOT ({_types(BEFORE)})")
    _replace_check(BEFORE)
    with op.batch_alter_table("report_schedule") as batch:
        batch.drop_column("basis")
