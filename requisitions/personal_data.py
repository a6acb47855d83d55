"""Every field of this app that holds personal data, in one place.

Erasure and subject-access requests walk this registry; a test checks that each name exists and
that the known personal fields are all covered, so a new field cannot be missed silently.
"""

from __future__ import annotations

from django.db import models

from .models import Candidate, CandidateDiversity, HiringManager, KickOff

PERSONAL_DATA: dict[type[models.Model], tuple[str, ...]] = {
    Candidate: ("name", "email", "phone", "consent_given_at", "consent_text_version"),
    CandidateDiversity: ("gender", "age_band", "ethnicity", "disability", "under_represented"),
    HiringManager: ("name", "email"),
    # Free text written about people during the kick-off (interviewers' names, notes).
    KickOff: ("interview_plan", "notes"),
}

# Special-category data (UK GDPR art. 9): reported only in aggregate, never per person.
SPECIAL_CATEGORY: dict[type[models.Model], tuple[str, ...]] = {
    CandidateDiversity: PERSONAL_DATA[CandidateDiversity],
}
