"""Commands of child-friendly assessments: record one commune's round with its
criterion scores and the district chairman's decision (``data.recognition``)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import click

from dashboard.cli.base import TREE_OPTION, main, user_engine
from data import audit, recognition
from data.db import Busy, transaction
from data.vocabulary import CF_DECIDED, CF_STATUS_TERMS, CF_STATUSES, names

# what may be stated with scores: a stage before the decision, or the decision
STATED = tuple(s for s in CF_STATUSES if s in (*recognition.STAGES, *CF_DECIDED))

AS_DECIDED_HINT = {
    "vi": " Nếu quyết định của Chủ tịch UBND cấp huyện đúng như vậy, ghi nguyên "
    "quyết định với --as-decided (sẽ được đánh dấu: quyết định khác với điểm chấm).",
    "en": " If that is the district chairman's decision, record it as given with "
    "--as-decided (it is flagged: decision differs from the scores).",
}
NOTHING_WRITTEN = {"vi": " Không ghi gì.", "en": " Nothing was written."}


def _date(text: str | None, option: str) -> dt.date | None:
    """A date written 01/11/2024 (as Vietnamese documents do) or 2024-11-01."""
    if text is None:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{text!r}: a date like 01/11/2024", param_hint=option)


def _points(code: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"{code}: {text!r} is not a whole number of points", param_hint="scores"
        ) from exc


def _pairs(text: str) -> dict[str, int]:
    """ "CF01=90,CF02=45,..." as {code: points}."""
    scores: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, value = part.partition("=")
        if not sep:
            raise click.BadParameter(
                f"{part!r}: write CODE=POINTS", param_hint="scores"
            )
        code = code.strip().upper()
        if code in scores:
            raise click.BadParameter(f"{code} given twice", param_hint="scores")
        scores[code] = _points(code, value)
    return scores


def _csv(path: Path) -> dict[str, int]:
    """Scores from a CSV: rows "CF01,90" (a header row allowed), or a header row
    of criterion codes over one row of points."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    if not rows:
        raise click.BadParameter(f"{path}: empty", param_hint="--scores-csv")
    head = [c.strip().upper() for c in rows[0]]
    if len(head) > 2 and len(rows) == 2:  # wide: codes over points
        return _pairs(",".join(f"{c}={v}" for c, v in zip(head, rows[1], strict=False)))
    if not head[0].startswith("CF"):  # a header row such as "criterion,score"
        rows = rows[1:]
    if any(len(r) < 2 for r in rows):
        raise click.BadParameter(
            f"{path}: rows of criterion code and points", param_hint="--scores-csv"
        )
    return _pairs(",".join(f"{r[0]}={r[1]}" for r in rows))


@main.command("record-assessment")
@click.option(
    "--commune", "commune_code", required=True, help="GSO code of the commune."
)
@TREE_OPTION
@click.option(
    "--round", "round_text", required=True, help="Round date, e.g. 01/11/2024."
)
@click.option(
    "--scores", default=None, help='Points per criterion: "CF01=90,CF02=45,…".'
)
@click.option(
    "--scores-csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of the scores (rows: CF01,90).",
)
@click.option(
    "--total",
    type=int,
    default=None,
    help="Total points (regimes before 2019, whose criteria are not coded).",
)
@click.option(
    "--threshold",
    type=int,
    default=None,
    help="The commune's tier, when the default by unit kind is wrong.",
)
@click.option("--decided-on", default=None, help="Date of the chairman's decision.")
@click.option(
    "--status",
    type=click.Choice(STATED),
    default=None,
    help="The decision (or stage) as stated; derived from the scores when omitted.",
)
@click.option(
    "--as-decided",
    is_flag=True,
    help="Keep a stated decision its scores contradict, flagged as such.",
)
@click.pass_obj
def record_assessment(
    conf: dict,
    commune_code: str,
    tree: str,
    round_text: str,
    scores: str | None,
    scores_csv: Path | None,
    decided_on: str | None,
    **entry: object,
) -> None:
    """Record one commune's child-friendly assessment round with its criterion
    scores and, once taken, the district chairman's decision.  The status must
    follow the rule of the regime in force on the round date (Quyết định
    06/QĐ-TTg: the tier's total and no criterion at 0); entering the same round
    again replaces it."""
    lang = conf["LANGUAGE"]
    if scores and scores_csv:
        raise click.UsageError("Give --scores or --scores-csv, not both.")
    points = _pairs(scores) if scores else _csv(scores_csv) if scores_csv else None
    round_date = _date(round_text, "--round")
    assert round_date is not None  # --round is required
    decided = _date(decided_on, "--decided-on")
    try:
        with transaction(user_engine(conf)) as session:
            unit_id = recognition.unit_id_of(session, tree=tree, code=commune_code)
            if unit_id is None:
                raise click.ClickException(
                    f"No unit {commune_code} on the {tree} tree. Nothing was written."
                )
            done = recognition.record_assessment(
                session,
                unit_id=unit_id,
                round_date=round_date,
                scores=points,
                decided_on=decided,
                remote_addr=audit.CLI,
                **entry,  # type: ignore[arg-type]
            )
    except recognition.RecognitionError as exc:
        message = exc.message(lang).rstrip(".") + "."
        if exc.problem == "contradicts":
            message += AS_DECIDED_HINT["en" if lang == "en" else "vi"]
        raise click.ClickException(
            message + NOTHING_WRITTEN["en" if lang == "en" else "vi"]
        ) from exc
    except Busy as exc:
        raise click.ClickException(
            "The database is busy; try again. Nothing was written."
        ) from exc
    label = names(CF_STATUS_TERMS, lang)[done.status]
    when = f", decided {done.decided_on:%d/%m/%Y}" if done.decided_on else ""
    click.echo(
        f"Saved: {done.unit_name} ({tree} {done.unit_code}), round "
        f"{done.round_date:%d/%m/%Y}: {done.total} points, threshold "
        f"{done.threshold} → {label}{when}."
    )
    if done.zero_criteria:
        click.echo(f"  criteria scored 0: {', '.join(done.zero_criteria)}")
    if done.contradicts_scores:
        click.echo(
            "  flagged: quyết định khác với điểm chấm "
            "(the decision differs from the scores)"
        )
    if done.replaced is not None:
        click.echo(
            f"  replaced the round's earlier record ({done.replaced['status']})."
        )
    for later in done.restated:
        click.echo(
            f"  round {later.round_date:%d/%m/%Y} restated: "
            f"{names(CF_STATUS_TERMS, lang)[later.before]} → "
            f"{names(CF_STATUS_TERMS, lang)[later.after]}."
        )
