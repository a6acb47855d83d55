"""Every personal-data field is registered in one place; diversity answers only in aggregate."""

from __future__ import annotations

import pytest

from requisitions import services
from requisitions.diversity import diversity_breakdown
from requisitions.models import Candidate
from requisitions.personal_data import PERSONAL_DATA

from .factories import CandidateFactory

KNOWN_PII = {
    ("candidate", "name"),
    ("candidate", "email"),
    ("candidate", "phone"),
    ("candidatediversity", "gender"),
    ("candidatediversity", "ethnicity"),
    ("candidatediversity", "disability"),
    ("hiringmanager", "name"),
    ("hiringmanager", "email"),
}


def test_every_registered_field_exists():
    for model, fields in PERSONAL_DATA.items():
        for name in fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist


def test_known_personal_fields_are_covered():
    registered = {(m._meta.model_name, f) for m, fields in PERSONAL_DATA.items() for f in fields}
    assert registered >= KNOWN_PII


@pytest.mark.django_db
def test_diversity_is_reported_only_over_five_people(in_a, settings):
    settings.DIVERSITY_MIN_GROUP_SIZE = 5
    people = [CandidateFactory() for _ in range(4)]
    for person in people:
        services.candidate_record_diversity(candidate=person, gender="woman")
    small = diversity_breakdown(Candidate.objects.all(), "gender")
    assert small.groups is None and small.respondents == 4
    for _ in range(4):
        services.candidate_record_diversity(candidate=CandidateFactory(), gender="woman")
    services.candidate_record_diversity(candidate=CandidateFactory(), gender="man")
    big = diversity_breakdown(Candidate.objects.all(), "gender")
    # 8 women shown; the lone man is folded into a suppressed bucket large enough to hide him.
    assert big.respondents == 9
    assert big.groups == [] and big.suppressed == 9
