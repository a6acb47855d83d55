"""Group 5: the catalog shows isolation layer 2 on every tenant table, and a runtime role that
cannot get around it.

The checks read pg_catalog through any DB-API cursor, so the same functions run against the
migrated test database (must find nothing) and against deliberately broken tables made by the
owner in a rolled-back transaction (must find every fault): each check can fail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from rpo_portal.tenancy.checks import runtime_role_problems
from rpo_portal.tenancy.models import Organisation, TenantOwned
from tests.conftest import connected_as, owner_connect

# Models that are not tenant data, each with why.
NOT_TENANT_DATA = {
    "tenancy.Organisation": "the tenant itself",
    "accounts.User": "people log in once and may belong to several organisations",
    "accounts.User_groups": "Django auth (admin staff only)",
    "accounts.User_user_permissions": "Django auth (admin staff only)",
    "auth.Group": "Django auth (admin staff only)",
    "auth.Group_permissions": "Django auth (admin staff only)",
    "auth.Permission": "Django auth catalogue",
    "authtoken.Token": "an API credential of a user, not of an organisation",
    "sessions.Session": "a login session of a user",
    "contenttypes.ContentType": "Django's model catalogue",
    "admin.LogEntry": "the provider's admin audit log",
    "django_celery_beat.PeriodicTask": "global schedules; they fan out per organisation",
    "django_celery_beat.PeriodicTasks": "celery beat bookkeeping",
    "django_celery_beat.IntervalSchedule": "celery beat schedule",
    "django_celery_beat.CrontabSchedule": "celery beat schedule",
    "django_celery_beat.SolarSchedule": "celery beat schedule",
    "django_celery_beat.ClockedSchedule": "celery beat schedule",
}

# Indexes on tenant tables that may lead with a column other than organisation_id, and why.
# (Any index led by a foreign-key column is allowed without an entry: an equality on a parent's
# id selects rows of that one parent, which the composite twin keeps in one tenant, so the
# planner cannot walk other tenants' rows through it. What is flagged is an index led by a
# column whose values are shared or ordered across tenants: id, created_at, name, status...)
INDEX_ALLOW_LIST = {
    ("tenancy_publiclink", "publiclink_token_hash"): (
        "serves only the cross-tenant lookup function of public links; an equality on the hash "
        "of a 256-bit random token selects at most one row"
    ),
}

TENANT_TABLES_SQL = """
SELECT c.oid, c.relname, c.relrowsecurity
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""


def tenant_tables(cursor: Any) -> dict[str, tuple[int, bool]]:
    cursor.execute(TENANT_TABLES_SQL)
    return {name: (oid, rls) for oid, name, rls in cursor.fetchall()}


def rls_problems(cursor: Any) -> list[str]:
    """Every table with organisation_id: RLS on, the tenant policy, and no wider policy."""
    problems = []
    for table, (oid, rls) in tenant_tables(cursor).items():
        if not rls:
            problems.append(f"{table}: row-level security is not enabled")
        cursor.execute(
            "SELECT p.polname, p.polcmd, p.polpermissive, "
            "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
            "ARRAY(SELECT coalesce(r.rolname, 'public') FROM unnest(p.polroles) AS u(oid) "
            "      LEFT JOIN pg_roles r ON r.oid = u.oid) "
            "FROM pg_policy p WHERE p.polrelid = %s",
            [oid],
        )
        policies = {row[0]: row[1:] for row in cursor.fetchall()}
        isolation = policies.pop("tenant_isolation", None)
        if isolation is None:
            problems.append(f"{table}: no tenant_isolation policy")
        else:
            cmd, _permissive, using, check, roles = isolation
            for what, expr in (("USING", using), ("WITH CHECK", check)):
                if not expr or "organisation_id =" not in expr or "app.tenant_id" not in expr:
                    problems.append(f"{table}: tenant_isolation {what} is {expr!r}")
            if cmd != "*" or roles != ["public"]:
                problems.append(f"{table}: tenant_isolation is for {cmd!r} to {roles}")
        for name, (cmd, permissive, _using, _check, roles) in policies.items():
            # A permissive policy ORs with the tenant one: only the reporting role's reads.
            if permissive and not (cmd == "r" and roles == [settings.DB_REPORTING_ROLE]):
                problems.append(f"{table}: policy {name} ({cmd} to {roles}) widens access")
    return problems


FOREIGN_KEYS_SQL = """
SELECT con.conname, con.conrelid, con.confrelid,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)
FROM pg_constraint con
WHERE con.contype = 'f' AND (con.conrelid = ANY(%(oids)s) OR con.confrelid = ANY(%(oids)s))
"""


def _foreign_keys(cursor: Any, oids: list[int]) -> list[tuple[str, int, int, list[str], list[str]]]:
    cursor.execute(FOREIGN_KEYS_SQL, {"oids": oids})
    return cursor.fetchall()


def fk_problems(cursor: Any) -> list[str]:
    """Between tenant tables only composite keys `(organisation_id, x_id)` -> parent
    `(organisation_id, id)` (as Citus requires, and so a row never points at another tenant's
    parent); no foreign key from a table without organisation_id to a tenant table."""
    tables = tenant_tables(cursor)
    oids = {oid: name for name, (oid, _rls) in tables.items()}
    problems = []
    for name, child, parent, cols, pcols in _foreign_keys(cursor, list(oids)):
        if parent not in oids:
            continue  # to a reference table (organisations, users): allowed
        if child not in oids:
            problems.append(f"{name}: a table without organisation_id references {oids[parent]}")
        elif cols[:1] != ["organisation_id"] or pcols != ["organisation_id", "id"]:
            problems.append(
                f"{oids[child]}.{','.join(cols)} -> {oids[parent]}({','.join(pcols)}): not the "
                f"composite same-tenant key ({name}; give the field db_constraint=False and add "
                "TenantForeignKey in a migration)"
            )
    return problems


def model_fk_problems(cursor: Any) -> list[str]:
    """Every foreign key field between two tenant-owned models has its composite key."""
    tables = tenant_tables(cursor)
    oids = {name: oid for name, (oid, _rls) in tables.items()}
    composite = {
        (child, cols[1])
        for _n, child, _parent, cols, _p in _foreign_keys(cursor, list(oids.values()))
        if len(cols) == 2 and cols[0] == "organisation_id"
    }
    problems = []
    for model in apps.get_models(include_auto_created=True):
        if not issubclass(model, TenantOwned):
            continue
        for field in model._meta.concrete_fields:
            related = field.related_model if field.is_relation else None
            if related is None or related is Organisation or not issubclass(related, TenantOwned):
                continue
            if (oids[model._meta.db_table], field.column) not in composite:
                problems.append(
                    f"{model._meta.label}.{field.name}: no composite same-tenant key "
                    "(add TenantForeignKey in a migration)"
                )
    return problems


def primary_key_problems(cursor: Any) -> list[str]:
    """Every tenant table's primary key is (organisation_id, id)."""
    tables = tenant_tables(cursor)
    cursor.execute(
        "SELECT c.conrelid, ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) "
        "FROM pg_constraint c WHERE c.contype = 'p' AND c.conrelid = ANY(%s)",
        [[oid for oid, _rls in tables.values()]],
    )
    keys = dict(cursor.fetchall())
    return [
        f"{table}: primary key {keys.get(oid)}, not (organisation_id, id) (add TenantPrimaryKey)"
        for table, (oid, _rls) in tables.items()
        if keys.get(oid) != ["organisation_id", "id"]
    ]


INDEXES_SQL = """
SELECT t.relname, i.relname, x.indisunique, x.indisprimary, pg_get_indexdef(x.indexrelid),
       ARRAY(SELECT coalesce(a.attname, '<expression>')
             FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
             WHERE k.o <= x.indnkeyatts ORDER BY k.o)
FROM pg_index x
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = ANY(%s)
ORDER BY t.relname, i.relname
"""


def _fk_columns(cursor: Any, oids: list[int]) -> set[tuple[str, str]]:
    """(table, column) of every foreign key's own column: a reference table's key, or the second
    column of a composite same-tenant key."""
    names = {oid: name for name, (oid, _rls) in tenant_tables(cursor).items()}
    found = set()
    for _n, child, _parent, cols, _p in _foreign_keys(cursor, oids):
        if child in names:
            found.add((names[child], cols[-1]))
    return found


def index_problems(cursor: Any) -> list[str]:
    """Uniques include organisation_id; other indexes lead with it (or a FK, or allow-listed)."""
    tables = tenant_tables(cursor)
    oids = [oid for oid, _rls in tables.values()]
    fk_columns = _fk_columns(cursor, oids)
    cursor.execute(INDEXES_SQL, [oids])
    problems = []
    for table, index, unique, _primary, definition, columns in cursor.fetchall():
        if unique and "organisation_id" not in columns:
            problems.append(f"{table}.{index}: unique without organisation_id ({definition})")
            continue
        first = columns[0]
        if first == "organisation_id" or (table, first) in fk_columns:
            continue
        if (table, index) not in INDEX_ALLOW_LIST:
            problems.append(
                f"{table}.{index}: leads with {first}, not organisation_id ({definition})"
            )
    return problems


def role_problems(cursor: Any, role: str) -> list[str]:
    """What would let `role` get around RLS: superuser, BYPASSRLS, owning, TRUNCATE, membership."""
    problems = []
    cursor.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s", [role]
    )
    row = cursor.fetchone()
    if row is None:
        return [f"role {role} does not exist"]
    is_super, bypass, createrole = row
    if is_super:
        problems.append(f"{role} is a superuser")
    if bypass:
        problems.append(f"{role} has BYPASSRLS")
    if createrole:
        problems.append(f"{role} has CREATEROLE")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = %s) "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'",
        [role],
    )
    owned = [r[0] for r in cursor.fetchall()]
    if owned:
        problems.append(f"{role} owns {owned}")
    cursor.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace "
        "AND c.relkind IN ('r', 'p') AND has_table_privilege(%s, c.oid, 'TRUNCATE')",
        [role],
    )
    truncatable = [r[0] for r in cursor.fetchall()]
    if truncatable:
        problems.append(f"{role} may TRUNCATE {truncatable}")
    cursor.execute(
        "SELECT r.rolname FROM pg_roles r WHERE r.rolname <> %s "
        "AND pg_has_role(%s, r.oid, 'MEMBER') "
        "AND (r.rolsuper OR r.rolbypassrls OR EXISTS ("
        "     SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = "
        "     'public'::regnamespace))",
        [role, role],
    )
    inherited = [r[0] for r in cursor.fetchall()]
    if inherited:
        problems.append(f"{role} is a member of {inherited}, which can bypass RLS")
    return problems


def definer_function_problems(cursor: Any) -> list[str]:
    """SECURITY DEFINER functions: owned by the owner, pinned search_path, not EXECUTE to PUBLIC."""
    cursor.execute(
        "SELECT p.proname, r.rolname, p.proconfig, "
        "has_function_privilege('public', p.oid, 'EXECUTE') "
        "FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner "
        "WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace"
    )
    problems = []
    for name, owner, config, public_exec in cursor.fetchall():
        if owner != settings.DB_OWNER_ROLE:
            problems.append(f"{name} is owned by {owner}")
        if not any(c.startswith("search_path=") for c in config or []):
            problems.append(f"{name} has no pinned search_path")
        if public_exec:
            problems.append(f"{name} is executable by PUBLIC")
    return problems


# --- against the migrated database -----------------------------------------------------------


@pytest.fixture
def cursor(db):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        yield cursor


def test_every_tenant_table_has_rls_and_the_policy(cursor):
    assert len(tenant_tables(cursor)) >= 3
    assert rls_problems(cursor) == []


def test_every_model_is_tenant_owned_or_on_the_allow_list(cursor):
    tables = tenant_tables(cursor)
    concrete = [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    ]
    uncovered, unlisted = [], []
    for model in concrete:
        label = model._meta.label
        if issubclass(model, TenantOwned):
            if model._meta.db_table not in tables or not tables[model._meta.db_table][1]:
                uncovered.append(label)
        elif label not in NOT_TENANT_DATA:
            unlisted.append(label)
    assert uncovered == [], "tenant-owned models without RLS (add EnableTenantRLS)"
    assert unlisted == [], "models neither TenantOwned nor on NOT_TENANT_DATA"
    # Every table with organisation_id belongs to a TenantOwned model.
    tenant_model_tables = {m._meta.db_table for m in concrete if issubclass(m, TenantOwned)}
    assert set(tables) == tenant_model_tables


def test_foreign_keys_between_tenant_tables_are_composite_only(cursor):
    assert fk_problems(cursor) == []
    assert model_fk_problems(cursor) == []


def test_every_tenant_table_is_keyed_by_organisation_then_id(cursor):
    assert primary_key_problems(cursor) == []


def test_uniques_include_and_indexes_lead_with_the_organisation(cursor):
    assert index_problems(cursor) == []


def test_runtime_role_cannot_bypass_rls(cursor):
    cursor.execute("SELECT current_user")
    assert cursor.fetchone() == (settings.DB_RUNTIME_ROLE,)
    assert role_problems(cursor, settings.DB_RUNTIME_ROLE) == []
    assert runtime_role_problems() == []


def test_security_definer_functions_are_pinned(cursor):
    cursor.execute("SELECT count(*) FROM pg_proc WHERE prosecdef")
    assert cursor.fetchone()[0] >= 2
    assert definer_function_problems(cursor) == []


def test_runtime_role_problems_names_the_owner(transactional_db):
    with connected_as(settings.DB_OWNER_ROLE, settings.DB_OWNER_PASSWORD):
        problems = runtime_role_problems()
    assert any("owns" in p for p in problems), problems
    assert runtime_role_problems() == []


# --- the checks find what they look for ------------------------------------------------------

BROKEN_SCHEMA = """
CREATE TABLE zz_parent (id bigserial PRIMARY KEY, organisation_id bigint NOT NULL, code text);
CREATE UNIQUE INDEX zz_parent_code ON zz_parent (code);
ALTER TABLE zz_parent ADD CONSTRAINT zz_parent_org_id_key UNIQUE (organisation_id, id);
CREATE TABLE zz_child (
    id bigserial PRIMARY KEY, organisation_id bigint NOT NULL,
    parent_id bigint REFERENCES zz_parent (id), created_at timestamptz
);
CREATE INDEX zz_child_created ON zz_child (created_at);
CREATE TABLE zz_open (id bigserial PRIMARY KEY, organisation_id bigint NOT NULL);
CREATE TABLE zz_keyed (organisation_id bigint NOT NULL, id bigserial, PRIMARY KEY (organisation_id, id));
CREATE TABLE zz_child2 (
    id bigserial, organisation_id bigint NOT NULL, parent_id bigint,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES zz_keyed (organisation_id, id)
);
CREATE TABLE zz_reference (id bigserial PRIMARY KEY, keyed_org bigint, keyed_id bigint,
    FOREIGN KEY (keyed_org, keyed_id) REFERENCES zz_keyed (organisation_id, id));
ALTER TABLE zz_open ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON zz_open USING (organisation_id = 1);
CREATE POLICY everyone ON zz_open USING (true);
"""


@pytest.fixture
def broken_cursor(db):  # type: ignore[no-untyped-def]
    with owner_connect() as conn:
        conn.autocommit = False
        cursor = conn.cursor()
        cursor.execute(BROKEN_SCHEMA)
        try:
            yield cursor
        finally:
            conn.rollback()


def test_the_checks_find_broken_tables(broken_cursor):
    rls = rls_problems(broken_cursor)
    assert "zz_parent: row-level security is not enabled" in rls
    assert "zz_child: no tenant_isolation policy" in rls
    assert any(p.startswith("zz_open: tenant_isolation WITH CHECK") for p in rls)
    assert any(p.startswith("zz_open: policy everyone") for p in rls)
    fks = sorted(p for p in fk_problems(broken_cursor) if "zz_" in p)
    assert len(fks) == 2, fks
    assert fks[0].startswith("zz_child.parent_id -> zz_parent(id): not the composite")
    assert fks[1].startswith(
        "zz_reference_keyed_org_keyed_id_fkey: a table without organisation_id"
    )
    keys = [p for p in primary_key_problems(broken_cursor) if p.startswith("zz_")]
    assert sorted(keys) == [
        f"{t}: primary key ['id'], not (organisation_id, id) (add TenantPrimaryKey)"
        for t in ("zz_child", "zz_open", "zz_parent")
    ]
    indexes = [p for p in index_problems(broken_cursor) if p.startswith("zz_")]
    assert [p.split(" (")[0] for p in indexes] == [
        "zz_child.zz_child_created: leads with created_at, not organisation_id",
        "zz_child.zz_child_pkey: unique without organisation_id",
        "zz_open.zz_open_pkey: unique without organisation_id",
        "zz_parent.zz_parent_code: unique without organisation_id",
        "zz_parent.zz_parent_pkey: unique without organisation_id",
    ], indexes


def test_the_model_check_finds_a_relation_without_its_composite_key(broken_cursor):
    broken_cursor.execute(
        "ALTER TABLE requisitions_application "
        "DROP CONSTRAINT requisitions_application_requisition_id_same_tenant"
    )
    assert model_fk_problems(broken_cursor) == [
        "requisitions.Application.requisition: no composite same-tenant key "
        "(add TenantForeignKey in a migration)"
    ]


def test_the_role_check_finds_the_owner(broken_cursor):
    problems = role_problems(broken_cursor, settings.DB_OWNER_ROLE)
    assert any("owns" in p and "zz_parent" in p for p in problems), problems
    assert any("TRUNCATE" in p for p in problems), problems
