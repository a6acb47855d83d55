"""The isolation sweep: every URL pattern x every method, as another tenant's member and anonymously.

The engine walks the root URLconf (through every include: UI, API, admin), fills each pattern's
kwargs from tests/sweep_registry.py inside tenant A, and requests every URL with GET, an htmx GET,
POST, PUT, PATCH and DELETE in three variants:

- `b-member/a-slug`: logged in as a member of B, A's slug and A's object ids;
- `b-member/b-slug`: logged in as a member of B, B's slug and A's object ids;
- `anonymous`: no login, A's slug and A's object ids.

A finding is: a 2xx that names A's slug or A's objects (or, anonymously, any 2xx outside
PUBLIC_PAGES); A's sentinel text in any response; a 5xx. After the requests, every tenant-owned
row of A must be unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation, TenantOwned
from tests.sweep_registry import SENTINEL, SWEEP_KWARGS, SWEEP_MODEL_FACTORIES

METHODS = ("GET", "GET+HX", "POST", "PUT", "PATCH", "DELETE")
VARIANTS = ("b-member/a-slug", "b-member/b-slug", "anonymous")

# URL names an anonymous visitor may get a 2xx from (none shows tenant data).
PUBLIC_PAGES = frozenset(
    {
        "healthz",
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "admin:login",
        "api-schema",
        "api-docs",
    }
)

# Plausible bodies: API views get JSON, UI views form data.
SWEEP_FIELDS = {
    "name": "SWEEP",
    "title": "SWEEP",
    "description": "SWEEP",
    "email": "sweep@example.test",
}

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Leaf:
    """One URL pattern with the chain of patterns (includes) above it."""

    chain: tuple[Any, ...]
    callback: Any
    name: str | None

    @property
    def route(self) -> str:
        return "".join(str(p) for p in self.chain)

    @property
    def label(self) -> str:
        return f"{self.route} ({self.name or 'unnamed'})"

    @property
    def kwarg_names(self) -> list[str]:
        names: list[str] = []
        for pattern in self.chain:
            if isinstance(pattern, RoutePattern):
                names += list(pattern.converters)
            elif isinstance(pattern, RegexPattern):
                regex = pattern.regex
                if regex.groups != len(regex.groupindex):
                    raise AssertionError(f"{self.label}: unnamed groups cannot be filled")
                names += sorted(regex.groupindex, key=regex.groupindex.__getitem__)
            else:  # LocalePrefixPattern and the like take no kwargs
                continue
        return names

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def admin_model(self) -> type[models.Model] | None:
        view = self.callback
        while view is not None:
            model_admin = getattr(view, "model_admin", None) or getattr(view, "__self__", None)
            model = getattr(model_admin, "model", None)
            if isinstance(model, type) and issubclass(model, models.Model):
                return model
            view = getattr(view, "__wrapped__", None)
        return None


def iter_leaves(
    resolver: URLResolver | None = None, chain: tuple[Any, ...] = (), namespace: str = ""
) -> Iterator[Leaf]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from iter_leaves(entry, (*chain, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Leaf((*chain, entry.pattern), entry.callback, name)


def _segment(pattern: Any, values: dict[str, str]) -> str:
    if isinstance(pattern, RoutePattern):

        def sub(match: re.Match[str]) -> str:
            name = match["parameter"]
            return str(pattern.converters[name].to_url(values[name]))

        return _ROUTE_PARAM.sub(sub, str(pattern._route))
    if isinstance(pattern, RegexPattern):
        wanted = set(pattern.regex.groupindex)
        for fmt, params in normalize(pattern._regex):
            if set(params) == wanted:
                return fmt % {k: values[k] for k in params}
        raise AssertionError(f"cannot build a URL from regex {pattern._regex!r}")
    return str(pattern)


def build_url(leaf: Leaf, values: dict[str, str]) -> str:
    url = "/" + "".join(_segment(p, values) for p in leaf.chain)
    try:
        match = resolve(url)
    except Resolver404 as exc:
        raise AssertionError(f"{leaf.label}: built {url!r}, which does not resolve") from exc
    if match.func is not leaf.callback:
        raise AssertionError(f"{leaf.label}: built {url!r}, which resolves to {match.func!r}")
    return url


@dataclass
class Target:
    leaf: Leaf
    values: dict[str, str]  # kwarg -> URL text, org_slug excepted
    names_a_object: bool

    def url(self, slug: str | None) -> str:
        values = dict(self.values)
        if "org_slug" in self.leaf.kwarg_names:
            assert slug is not None
            values["org_slug"] = slug
        return build_url(self.leaf, values)

    @property
    def has_slug(self) -> bool:
        return "org_slug" in self.leaf.kwarg_names


def _as_url_value(value: Any) -> tuple[str, bool]:
    if isinstance(value, models.Model):
        assert value.pk is not None, f"filler returned an unsaved {value!r}"
        return str(value.pk), True
    return str(value), False


def prepare_targets(organisation_a: Organisation) -> list[Target]:
    """Fill every pattern with A's objects; fail naming every pattern that cannot be filled."""
    leaves = list(iter_leaves())
    missing: list[str] = []
    targets: list[Target] = []
    with tenant_context(organisation_a):
        for leaf in leaves:
            made: dict[str, Any] = {"__model__": leaf.admin_model, "__route__": leaf.route}
            values: dict[str, str] = {}
            names_a = False
            unknown = [k for k in leaf.kwarg_names if k != "org_slug" and k not in SWEEP_KWARGS]
            if unknown:
                missing.append(f"{leaf.label}: no filler for {', '.join(unknown)}")
                continue
            for kwarg in leaf.kwarg_names:
                if kwarg == "org_slug":
                    continue
                try:
                    value = SWEEP_KWARGS[kwarg](made)
                except LookupError as exc:
                    missing.append(f"{leaf.label}: {kwarg}: {exc}")
                    break
                made[kwarg] = value
                values[kwarg], is_object = _as_url_value(value)
                names_a = names_a or is_object
            else:
                targets.append(Target(leaf, values, names_a))
        # A sentinel row of every tenant-owned model that has a factory, and A's name.
        for factory in SWEEP_MODEL_FACTORIES.values():
            factory()
    Organisation.objects.filter(pk=organisation_a.pk).update(
        name=f"{SENTINEL} {organisation_a.name}"
    )
    if missing:
        raise AssertionError(
            "The sweep cannot fill these URL patterns; add fillers to tests/sweep_registry.py:\n"
            + "\n".join(missing)
        )
    # Every target URL must build (and resolve back to its own view) for both slugs.
    for target in targets:
        target.url(organisation_a.slug)
    return targets


def tenant_models() -> list[type[TenantOwned]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, TenantOwned) and not m._meta.abstract and not m._meta.proxy
    ]


def snapshot(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    """Every tenant-owned row of `organisation`, read inside its tenant_context."""
    with tenant_context(organisation):
        return {
            m._meta.label: list(
                m.all_tenants.filter(organisation_id=organisation.pk).order_by("pk").values()
            )
            for m in tenant_models()
        }


@dataclass
class SweepResult:
    requests: int = 0
    findings: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _send(client: Client, method: str, url: str, api: bool) -> Any:
    if method in ("GET", "GET+HX"):
        headers = {"HX-Request": "true"} if method == "GET+HX" else {}
        return client.get(url, headers=headers)
    if api:
        return client.generic(method, url, json.dumps(SWEEP_FIELDS), "application/json")
    if method == "POST":
        return client.post(url, SWEEP_FIELDS)
    return client.generic(method, url, urlencode(SWEEP_FIELDS), "application/x-www-form-urlencoded")


class _Session:
    """A Django test client logged in as `user` (or anonymous), re-logged in after a logout."""

    def __init__(self, user: Any | None) -> None:
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.cookie = ""
        self._login()

    def _login(self) -> None:
        if self.user is None:
            return
        self.client.force_login(self.user)
        self.cookie = self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def after(self) -> None:
        if self.user is None:
            self.client.cookies.clear()
            return
        morsel = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if morsel is None or morsel.value != self.cookie:
            self._login()


def sweep(
    targets: list[Target],
    *,
    organisation_a: Organisation,
    organisation_b: Organisation,
    member_of_b: Any,
    variants: tuple[str, ...] = VARIANTS,
) -> SweepResult:
    result = SweepResult()
    sentinel = SENTINEL.lower().encode()
    for variant in variants:
        anonymous = variant == "anonymous"
        session = _Session(None if anonymous else member_of_b)
        slug = organisation_b.slug if variant == "b-member/b-slug" else organisation_a.slug
        for target in targets:
            url = target.url(slug)
            names_a = target.names_a_object or (target.has_slug and slug == organisation_a.slug)
            for method in METHODS:
                response = _send(session.client, method, url, target.leaf.is_api)
                session.after()
                result.requests += 1
                status = response.status_code
                result.statuses[status] = result.statuses.get(status, 0) + 1
                where = f"[{variant}] {method} {url} ({target.leaf.name or target.leaf.route})"
                if 200 <= status < 300:
                    if anonymous and target.leaf.name not in PUBLIC_PAGES:
                        result.findings.append(f"{where}: {status} to an anonymous visitor")
                    elif not anonymous and names_a:
                        result.findings.append(f"{where}: {status} for A's slug or objects")
                if status >= 500:
                    result.findings.append(f"{where}: server error {status}")
                if sentinel in _body(response).lower():
                    result.findings.append(f"{where}: A's sentinel text in the response")
    return result


def size(targets: list[Target], variants: tuple[str, ...] = VARIANTS) -> str:
    return (
        f"{len(targets)} patterns x {len(METHODS)} methods x {len(variants)} variants = "
        f"{len(targets) * len(METHODS) * len(variants)} requests"
    )


def run_sweep(tenant_a: Any, tenant_b: Any, variants: tuple[str, ...] = VARIANTS) -> SweepResult:
    """Fill, snapshot A, sweep, and fail on any finding or any change to A's rows."""
    targets = prepare_targets(tenant_a.organisation)
    before = snapshot(tenant_a.organisation)
    assert sum(map(len, before.values())) > 0, "the sweep made no rows of A to protect"
    result = sweep(
        targets,
        organisation_a=tenant_a.organisation,
        organisation_b=tenant_b.organisation,
        member_of_b=tenant_b.lead,
        variants=variants,
    )
    print(f"\nsweep size: {size(targets, variants)}; statuses: {sorted(result.statuses.items())}")
    assert result.requests == len(targets) * len(METHODS) * len(variants)
    assert not result.findings, f"{len(result.findings)} findings:\n" + "\n".join(
        result.findings[:200]
    )
    after = snapshot(tenant_a.organisation)
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"A's rows changed in: {changed}"
    return result
