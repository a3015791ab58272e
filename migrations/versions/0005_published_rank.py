"""published_rank: ranks published by others (the PCRI), entered as given

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_rank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("index_code", sa.String(length=16), nullable=False),
        sa.Column("round_label", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("out_of", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "index_code IN ('pcri')", name=op.f("ck_published_rank_index_code")
        ),
        sa.CheckConstraint(
            "round_label <> ''", name=op.f("ck_published_rank_round_label")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_published_rank_rank")),
        sa.CheckConstraint("out_of >= rank", name=op.f("ck_published_rank_out_of")),
        sa.CheckConstraint("source <> ''", name=op.f("ck_published_rank_source")),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_published_rank_unit_id_admin_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["app_user.id"],
            name=op.f("fk_published_rank_entered_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_rank")),
        sa.UniqueConstraint(
            "unit_id",
            "index_code",
            "round_label",
            name=op.f("uq_published_rank_unit_id_index_code_round_label"),
        ),
    )


def downgrade() -> None:
    op.drop_table("published_rank")
