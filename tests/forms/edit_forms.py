"""The product's edit forms: pages that show a stored object's fields for changing them.

Each is named by its URL pattern. `test_edit_form_registry` finds every page whose form posts
back to itself with stored values filled in, and fails for one that is in neither list, so a new
edit form cannot escape the untouched-save checks (tests/browser/test_edit_forms.py).
"""

from __future__ import annotations

EDIT_FORMS = frozenset(
    {
        "programmes:edit",
        "programmes:go_live",
        "programmes:metric_change",
        "programmes:risk_edit",
        "programmes:improvement_edit",
        "changeplans:edit",
        "requisitions:edit",
        "requisitions:kickoff",
        "requisitions:candidate_edit",
        "requisitions:hiring_manager_edit",
    }
)

# Pages whose self-posting form is filled in for another reason than editing a stored object:
# the form creates something new, and the values are suggestions.
NOT_EDIT_FORMS = {
    "programmes:create": "a new programme: defaults only",
    "requisitions:create": "a new requisition: one opening by default",
}
