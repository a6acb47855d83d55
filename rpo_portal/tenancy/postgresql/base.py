"""Django's PostgreSQL backend for tables keyed by `(organisation_id, id)`.

Django groups an aggregate query by the primary key alone and lets PostgreSQL infer the other
selected columns from it. A tenant table's key in the database is `(organisation_id, id)` while
Django's pk stays `id`, so `id` alone does not determine `organisation_id` for PostgreSQL; for
tenant models the query groups by every selected column instead, as Django does on databases
without that inference. Everything else is Django's backend unchanged (`ENGINE` ends with
`postgresql`, and `connection.vendor` is `postgresql`).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, features


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model: Any) -> bool:
        from rpo_portal.tenancy.models import TenantOwned  # the models load after the backend

        if issubclass(model, TenantOwned):
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
