"""The six process areas of the improvement method; they tag risks, improvements, feedback and
audits across the apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessArea(models.TextChoices):
    BEFORE_ANYTHING = "before_anything", _("Before anything")
    ROLE_LIVE = "role_live", _("Role live")
    POST_APPLICATION = "post_application", _("Post-application")
    SELECTION = "selection", _("Selection")
    PRE_DAY_ONE = "pre_day_one", _("Pre day one")
    FIRST_90_DAYS = "first_90_days", _("First 90 days")
