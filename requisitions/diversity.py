"""Voluntary diversity answers, only ever in aggregate over groups large enough to hide anyone.

Nothing else in the product reads `CandidateDiversity`: no candidate page, serializer or export.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet

from .models import Candidate, CandidateDiversity
from .services import DIVERSITY_FIELDS


@dataclass(frozen=True)
class Breakdown:
    question: str
    respondents: int
    # (answer, count); None when the group of respondents is too small to report.
    groups: list[tuple[str, int]] | None
    # Answers given by fewer people than the threshold are folded into one "other" bucket.
    suppressed: int


def diversity_breakdown(candidates: QuerySet[Candidate], question: str) -> Breakdown:
    """Answers to `question` among `candidates`, each reported group at least
    DIVERSITY_MIN_GROUP_SIZE people; below that overall, no figures at all."""
    if question not in DIVERSITY_FIELDS:
        raise ValueError(f"Unknown diversity question {question!r}")
    minimum = settings.DIVERSITY_MIN_GROUP_SIZE
    rows = (
        CandidateDiversity.objects.filter(candidate__in=candidates.values("pk"))
        .exclude(**{question: ""})
        .values_list(question)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {answer: n for answer, n in rows}
    respondents = sum(counts.values())
    if respondents < minimum:
        return Breakdown(question, respondents, None, 0)
    shown = sorted(((a, n) for a, n in counts.items() if n >= minimum), key=lambda x: -x[1])
    hidden = respondents - sum(n for _a, n in shown)
    # A lone small bucket could be recovered by subtraction from the total: fold it away.
    if 0 < hidden < minimum and shown:
        return Breakdown(question, respondents, shown[:-1], hidden + shown[-1][1])
    return Breakdown(question, respondents, shown, hidden)
