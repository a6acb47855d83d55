"""Existing "Three early metrics agreed" items follow the agreed metrics from now on.

Marks the item programmes were created with as derived and sets its status from the fact:
done when the programme has three current early metrics, to do otherwise. Reversing only
unmarks the items (their status stays what the fact made it).
"""

from django.db import migrations
from django.utils import timezone

TITLE = "Three early metrics agreed"
FACT = "early_metrics_agreed"


def derive(apps, schema_editor):
    ChecklistItem = apps.get_model("programmes", "ChecklistItem")
    AgreedMetric = apps.get_model("programmes", "AgreedMetric")
    items = ChecklistItem._base_manager.filter(
        section="early_metrics", title=TITLE, derived_from=""
    )
    for item in items:
        agreed = AgreedMetric._base_manager.filter(
            programme_id=item.programme_id, is_current=True, tier="early"
        ).count()
        item.derived_from = FACT
        fields = ["derived_from"]
        status = "done" if agreed == 3 else "todo"
        if item.status != status:
            item.status = status
            fields.append("status")
            item.completed_at = timezone.now() if status == "done" else None
            item.completed_by = None
            fields += ["completed_at", "completed_by"]
        item.save(update_fields=fields)


def underive(apps, schema_editor):
    ChecklistItem = apps.get_model("programmes", "ChecklistItem")
    ChecklistItem._base_manager.filter(derived_from=FACT).update(derived_from="")


class Migration(migrations.Migration):
    dependencies = [("programmes", "0008_checklistitem_derived_from")]

    operations = [migrations.RunPython(derive, underive)]
