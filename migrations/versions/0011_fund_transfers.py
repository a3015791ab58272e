"""fund_contribution: transfers between fund levels (transfer_from_unit_id)

A contribution with source ``transfer`` is money another unit's fund handed
over; ``transfer_from_unit_id`` names that unit.  Existing rows are no transfers.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "fund_contribution"
SOURCES = ("enterprise", "individual", "organisation", "state_budget", "international")
TRANSFER = "transfer"


def _sources(values: tuple[str, ...]) -> str:
    return "source_type IN ({})".format(", ".join(f"'{v}'" for v in values))


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(
            sa.Column("transfer_from_unit_id", sa.Integer(), nullable=True)
        )
        batch.create_foreign_key(
            op.f("fk_fund_contribution_transfer_from_unit_id_admin_unit"),
            "admin_unit",
            ["transfer_from_unit_id"],
            ["id"],
        )
        batch.drop_constraint(op.f("ck_fund_contribution_source_type"), type_="check")
        batch.create_check_constraint(
            op.f("ck_fund_contribution_source_type"), _sources((*SOURCES, TRANSFER))
        )
        batch.create_check_constraint(
            op.f("ck_fund_contribution_transfer_from"),
            f"(source_type = '{TRANSFER}' AND transfer_from_unit_id IS NOT NULL) OR "
            f"(source_type <> '{TRANSFER}' AND transfer_from_unit_id IS NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_fund_contribution_transfer_not_to_itself"),
            "transfer_from_unit_id IS NULL OR transfer_from_unit_id <> unit_id",
        )


def downgrade() -> None:
    # transfers have no place in the older schema: they go with the column
    op.execute(f"DELETE FROM {TABLE} WHERE source_type = '{TRANSFER}'")
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(
            op.f("ck_fund_contribution_transfer_not_to_itself"), type_="check"
        )
        batch.drop_constraint(op.f("ck_fund_contribution_transfer_from"), type_="check")
        batch.drop_constraint(op.f("ck_fund_contribution_source_type"), type_="check")
        batch.create_check_constraint(
            op.f("ck_fund_contribution_source_type"), _sources(SOURCES)
        )
        batch.drop_constraint(
            op.f("fk_fund_contribution_transfer_from_unit_id_admin_unit"),
            type_="foreignkey",
        )
        batch.drop_column("transfer_from_unit_id")
