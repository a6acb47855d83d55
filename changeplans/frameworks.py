"""Change frameworks and their elements, in the order each framework walks them.

ADKAR (Prosci) is the default; Lewin's three stages and McKinsey's 7-S are the alternatives.
Each stakeholder group is scored 1-5 on every element of its plan's framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Framework(models.TextChoices):
    ADKAR = "adkar", _("ADKAR")
    LEWIN = "lewin", _("Lewin")
    MCKINSEY_7S = "mckinsey_7s", _("McKinsey 7-S")


@dataclass(frozen=True)
class Element:
    key: str
    label: StrOrPromise
    question: StrOrPromise


FRAMEWORK_ELEMENTS: dict[str, tuple[Element, ...]] = {
    Framework.ADKAR: (
        Element("awareness", _("Awareness"), _("Do they know why the change is needed?")),
        Element("desire", _("Desire"), _("Do they want to take part and support it?")),
        Element("knowledge", _("Knowledge"), _("Do they know how to change?")),
        Element("ability", _("Ability"), _("Can they do it day to day?")),
        Element("reinforcement", _("Reinforcement"), _("Will the change stick?")),
    ),
    Framework.LEWIN: (
        Element("unfreeze", _("Unfreeze"), _("Are they ready to let go of the old way?")),
        Element("change", _("Change"), _("Are they working the new way?")),
        Element("refreeze", _("Refreeze"), _("Is the new way now the normal way?")),
    ),
    Framework.MCKINSEY_7S: (
        Element("structure", _("Structure"), _("Do reporting lines fit the change?")),
        Element("strategy", _("Strategy"), _("Do they see how it serves the strategy?")),
        Element("systems", _("Systems"), _("Do the systems and processes support it?")),
        Element("shared_values", _("Shared values"), _("Does it fit what they value?")),
        Element("skills", _("Skills"), _("Do they have the skills it needs?")),
        Element("style", _("Style"), _("Do leaders model it?")),
        Element("staff", _("Staff"), _("Are the right people in place?")),
    ),
}

# Every element of every framework, in first-seen order: choices and the database check.
_ALL_ELEMENTS: dict[str, Element] = {
    e.key: e for elements in FRAMEWORK_ELEMENTS.values() for e in elements
}
ALL_ELEMENT_KEYS: tuple[str, ...] = tuple(_ALL_ELEMENTS)
ELEMENT_CHOICES: list[tuple[str, StrOrPromise]] = [(e.key, e.label) for e in _ALL_ELEMENTS.values()]
ADKAR_ORDER: tuple[str, ...] = tuple(e.key for e in FRAMEWORK_ELEMENTS[Framework.ADKAR])

# Prosci: an ADKAR element scoring 3 or less on the 1-5 scale is a barrier.
BARRIER_THRESHOLD = 3
SCORE_MIN, SCORE_MAX = 1, 5


def elements_of(framework: str) -> tuple[Element, ...]:
    return FRAMEWORK_ELEMENTS[framework]


def element_keys(framework: str) -> tuple[str, ...]:
    return tuple(e.key for e in FRAMEWORK_ELEMENTS[framework])


def validate_element(framework: str, element: str) -> None:
    """Raise a ValidationError on `element` naming the framework's allowed elements."""
    allowed = element_keys(framework)
    if element not in allowed:
        raise ValidationError(
            {
                "element": _(
                    "“%(element)s” is not an element of the %(framework)s framework. "
                    "Allowed elements: %(allowed)s."
                )
                % {
                    "element": element,
                    "framework": Framework(framework).label,
                    "allowed": ", ".join(allowed),
                }
            }
        )


def score_tone(score: int | None) -> str:
    """The semantic colour of a score: 1-2 danger, 3 warning, 4-5 success."""
    if score is None:
        return "none"
    if score <= 2:
        return "danger"
    if score == 3:
        return "warning"
    return "success"


def element_label(key: str) -> str:
    element = _ALL_ELEMENTS.get(key)
    return str(element.label) if element else key
