"""`{% requisition_attention requisition as flags %}`: the row's flags, most severe first."""

from __future__ import annotations

from django import template

from requisitions import slas
from requisitions.models import Requisition

register = template.Library()


@register.simple_tag
def requisition_attention(requisition: Requisition) -> list[slas.Attention]:
    return slas.attention(requisition)
