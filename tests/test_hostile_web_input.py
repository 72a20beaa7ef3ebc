"""Issue 14, web input: a number out of range in any route's query, path or form is refused
with HTTP 400 and a Chinese message, never a 500 from the database driver.

The routes are found from the app's routers, so a route added later is covered too.
"""

from __future__ import annotations

import re
import types

import pytest

from tests.test_web_access import app_routes
from tests.web_site import build_site, csrf_of, signed_in

HUGE = "99999999999999999999"


def _routers() -> list:
    from fulian.web import api, login, pages_analysis, pages_packets, pages_review, upload, views

    return [mod.router for mod in (api, login, pages_analysis, pages_packets, pages_review, upload, views)]


def numeric_params() -> list[tuple[str, str, str, str]]:
    """(method, route, parameter, where) for every integer parameter of every route."""
    found = []
    for router in _routers():
        for r in router.routes:
            d = r.dependant
            for where, params in (("path", d.path_params), ("query", d.query_params), ("form", d.body_params)):
                for p in params:
                    ann = p.field_info.annotation
                    if ann is int or (isinstance(ann, types.UnionType) and int in ann.__args__):
                        found += [(m, r.path, p.name, where) for m in r.methods if m != "HEAD"]
    return found


def test_the_loop_sees_every_route() -> None:
    assert {(m, r) for m, r, *_ in numeric_params()} <= app_routes()
    assert {r for _, r, *_ in numeric_params()} >= {
        "/submissions", "/submissions/{submission_id}", "/submissions/{submission_id}/download",
        "/indicators", "/quality", "/completeness", "/completeness/notices.txt", "/quality/report.{kind}",
        "/api/submissions", "/api/indicators", "/api/quality", "/api/completeness",
        "/packets/{packet_id}/download", "/review/{submission_id}", "/quality/recompute",
        "/completeness/recompute"}


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e400"])
def test_out_of_range_numbers_are_400_with_a_chinese_message(home, value: str) -> None:  # noqa: ANN001
    site = build_site()
    web = signed_in("admin1")  # staff: every route is open, so only the number can be refused
    token = csrf_of(web)
    doc = str(site.ids["泉城路总结.docx"])
    for method, route, name, where in numeric_params():
        path = re.sub(r"\{(\w+)\}", lambda m, n=name: value if m.group(1) == n else
                      ("html" if m.group(1) == "kind" else doc), route)
        query = {name: value} if where == "query" else {}
        if route.startswith("/quality/report") or route.startswith("/completeness/notices") or \
                route.startswith("/api/") and name != "page":
            query.setdefault("year", "2013")
        if method == "GET":
            r = web.get(path, params=query)
        else:
            form = {"csrf": token, "year": "2013", "note": "核实", **({name: value} if where == "form" else {})}
            r = web.post(path, params=query, data=form)
        assert r.status_code == 400, (method, path, query, r.status_code, r.text[:200])
        text = r.json()["detail"] if route.startswith("/api/") else r.text
        assert "输入有误" in text and name in text, (method, path, text[:200])


def test_a_value_number_too_long_for_the_database_is_no_value(home) -> None:  # noqa: ANN001
    build_site()
    web = signed_in("arch1")
    r = web.post("/values/correct", data={"value_id": f"v{HUGE}", "value": "1", "reason": "核实",
                                          "csrf": csrf_of(web)})
    assert r.status_code in (400, 404) and "v" + HUGE in r.text, r.text[:300]
