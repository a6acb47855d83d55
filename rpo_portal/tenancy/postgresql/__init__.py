"""Django's PostgreSQL backend, told that tenant tables are keyed by (organisation_id, id)."""
