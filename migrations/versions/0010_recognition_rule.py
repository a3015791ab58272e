"""child_friendly_assessment follows the recognition rule (data.recognition)

Adds ``contradicts_scores`` (a district chairman's decision recorded as given
although its scores say otherwise) and the CHECKs of the rule.  Existing rows
are brought under them first: a criterion scored 0 in child_friendly_score sets
``has_zero_criterion``; a decision stored without its date takes effect, as it
did before, on its round date; a stored status its own total, threshold and
zero flag contradict is kept and flagged, so the user sees it as such.
The facts version moves on (cached figures go stale).  On SQLite adding the
CHECKs copies the table; the scores are kept aside while
the old table is dropped (its foreign key would delete them).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "child_friendly_assessment"
DECIDED = "status IN ('RECOGNISED_NEW', 'RECOGNISED_MAINTAINED', 'NOT_RECOGNISED')"
RECOGNISED = "status IN ('RECOGNISED_NEW', 'RECOGNISED_MAINTAINED')"
# the rule on one row, as data.models.cf_rule_checks writes it
RECOGNISED_MEETS = (
    f"NOT ({RECOGNISED}) OR total_score IS NULL "
    "OR threshold IS NULL OR total_score >= threshold AND ("
    "regime <> 'QD06_2019' OR has_zero_criterion IS NULL "
    "OR NOT has_zero_criterion)"
)
REFUSED_FAILS = (
    "status <> 'NOT_RECOGNISED' "
    "OR regime <> 'QD06_2019' OR total_score IS NULL OR threshold IS NULL "
    "OR has_zero_criterion IS NULL OR total_score < threshold "
    "OR has_zero_criterion"
)
CHECKS = {
    "decided_on": f"NOT ({DECIDED}) OR decided_on IS NOT NULL",
    "tier": "threshold IS NULL OR threshold <= 1000 AND ("
    "regime <> 'QD06_2019' OR threshold IN (800, 850, 900)) AND ("
    "regime <> 'QD37_2010' OR threshold IN (650, 750, 850))",
    "recognised_meets": f"contradicts_scores OR {RECOGNISED_MEETS}",
    "refused_fails": f"contradicts_scores OR {REFUSED_FAILS}",
}


SCORES = "child_friendly_score"
SCORE_COLUMNS = "assessment_id, criterion_code, score"


def _keeping_scores(change) -> None:  # type: ignore[no-untyped-def]
    """Run ``change`` (a batch alteration of the table): on SQLite it copies the
    table and drops the old one, and with foreign keys on, dropping it deletes
    the scores (ON DELETE CASCADE); they are kept aside and put back."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(
            f"CREATE TEMP TABLE kept_scores AS SELECT {SCORE_COLUMNS} FROM {SCORES}"
        )
    change()
    if sqlite:
        op.execute(f"DELETE FROM {SCORES}")
        op.execute(
            f"INSERT INTO {SCORES} ({SCORE_COLUMNS}) "
            f"SELECT {SCORE_COLUMNS} FROM kept_scores"
        )
        op.execute("DROP TABLE kept_scores")


def _facts_changed() -> None:
    """Move the facts version on (data.metrics.dataset): figures cached under the
    old rule and the old columns go stale."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    digits = "value NOT GLOB '*[^0-9]*'" if sqlite else "value ~ '^[0-9]+$'"
    op.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(20)) "
        f"WHERE key = 'facts_version' AND value <> '' AND {digits}"
    )


def upgrade() -> None:
    # a plain ADD COLUMN (no copy of the table, even on SQLite)
    op.add_column(
        TABLE,
        sa.Column(
            "contradicts_scores",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
        ),
    )
    true = "1" if op.get_bind().dialect.name == "sqlite" else "true"
    op.execute(
        f"UPDATE {TABLE} SET has_zero_criterion = {true} WHERE EXISTS ("
        f"SELECT 1 FROM {SCORES} s "
        f"WHERE s.assessment_id = {TABLE}.id AND s.score = 0)"
    )
    op.execute(
        f"UPDATE {TABLE} SET decided_on = round_date "
        f"WHERE {DECIDED} AND decided_on IS NULL"
    )
    op.execute(
        f"UPDATE {TABLE} SET contradicts_scores = {true} "
        f"WHERE NOT ({RECOGNISED_MEETS}) OR NOT ({REFUSED_FAILS})"
    )

    def add_checks() -> None:
        with op.batch_alter_table(TABLE) as batch:
            for name, sql in CHECKS.items():
                batch.create_check_constraint(op.f(f"ck_{TABLE}_{name}"), sql)

    _keeping_scores(add_checks)
    _facts_changed()


def downgrade() -> None:
    def drop() -> None:
        with op.batch_alter_table(TABLE) as batch:
            for name in CHECKS:
                batch.drop_constraint(op.f(f"ck_{TABLE}_{name}"), type_="check")
            batch.drop_column("contradicts_scores")

    _keeping_scores(drop)
    _facts_changed()
