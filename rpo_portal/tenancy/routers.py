class ReportingRouter:
    """The `reporting` alias is read-only and never migrated; it is used explicitly."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):  # type: ignore[no-untyped-def]
        if db == "reporting":
            return False
        return None
