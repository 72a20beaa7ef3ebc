"""Who may see and do what on the web face: every route × role, on SQLite and PostgreSQL.

The matrix must name every route the app has (a new route fails here until it is
placed), and a unit user must not reach another unit's document by list, search,
API, download, receipt lookup or a guessed id.
"""

from __future__ import annotations

import pytest

from tests.web_site import USERS, Site, build_site, client, csrf_of, signed_in

ROLES = tuple(USERS)  # admin1 arch1 stat1 qcl yj
ALL = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {"admin1": 200, "arch1": 200, "stat1": 403, "qcl": 403, "yj": 403}
WHOLE_ARCHIVE = {"admin1": 200, "arch1": 200, "stat1": 200, "qcl": 403, "yj": 403}
QCL_DOC = {"admin1": 200, "arch1": 200, "stat1": 200, "qcl": 200, "yj": 404}
NO_UNIT_DOC = {"admin1": 200, "arch1": 200, "stat1": 200, "qcl": 404, "yj": 404}

# (method, route as the app declares it, concrete path, form data, expected status per role)
MATRIX = [
    ("GET", "/", "/", None, ALL),
    ("GET", "/submissions", "/submissions?text=培训妇女", None, ALL),
    ("GET", "/submissions/{submission_id}", "/submissions/{qcl}", None, QCL_DOC),
    ("GET", "/submissions/{submission_id}", "/submissions/{review}", None, NO_UNIT_DOC),
    ("GET", "/submissions/{submission_id}/download", "/submissions/{qcl}/download", None, QCL_DOC),
    ("GET", "/submissions/{submission_id}/download", "/submissions/{rejected}/download", None,
     NO_UNIT_DOC),
    ("GET", "/indicators", "/indicators?year=2013", None, ALL),
    ("GET", "/completeness", "/completeness?year=2013", None, ALL),
    ("GET", "/completeness/notices.txt", "/completeness/notices.txt?year=2013", None, ALL),
    ("GET", "/quality", "/quality?year=2013", None, ALL),
    ("GET", "/quality/report.{kind}", "/quality/report.xlsx?year=2013", None,
     {"admin1": 404, "arch1": 404, "stat1": 404, "qcl": 403, "yj": 403}),  # none stored yet
    ("GET", "/review", "/review", None, STAFF_ONLY),
    ("GET", "/audit", "/audit", None, STAFF_ONLY),
    ("GET", "/receipt", "/receipt?number=abc", None, ALL),
    ("GET", "/packets", "/packets", None, ALL),
    ("GET", "/packets/{packet_id}/download", "/packets/{packet}/download", None, QCL_DOC),
    ("GET", "/packets/{packet_id}/download", "/packets/{district}/download", None, NO_UNIT_DOC),
    ("GET", "/upload", "/upload", None, ALL),
    ("GET", "/login", "/login", None, ALL),
    ("GET", "/api/submissions", "/api/submissions", None, ALL),
    ("GET", "/api/indicators", "/api/indicators?year=2013", None, ALL),
    ("GET", "/api/quality", "/api/quality?year=2013", None, ALL),
    ("GET", "/api/completeness", "/api/completeness?year=2013", None, ALL),
    ("POST", "/review/{submission_id}", "/review/{review}", {"unit": "yaojia", "note": "据印章"},
     STAFF_ONLY),
    ("POST", "/values/correct", "/values/correct", {"value_id": "v1", "value": "90", "reason": "电话核实"},
     STAFF_ONLY),
    ("POST", "/audit/verify", "/audit/verify", {}, {**STAFF_ONLY, "arch1": 403}),
    ("POST", "/completeness/recompute", "/completeness/recompute", {"year": "2013"},
     {k: 303 if v == 200 else v for k, v in WHOLE_ARCHIVE.items()}),
    ("POST", "/quality/recompute", "/quality/recompute", {"year": "2013"},
     {"admin1": None, "arch1": None, "stat1": None, "qcl": 403, "yj": 403}),  # allowed: test_web_security
    ("POST", "/upload", "/upload", None, None),  # multipart: tests/test_web.py and below
    ("POST", "/login", "/login", None, None),  # tests/test_web_security.py
    ("POST", "/logout", "/logout", {}, dict.fromkeys(ROLES, 303)),
]


def app_routes() -> set[tuple[str, str]]:
    from fulian.web import api, login, pages_analysis, pages_packets, pages_review, upload, views

    return {(m, r.path) for mod in (api, login, pages_analysis, pages_packets, pages_review, upload, views)
            for r in mod.router.routes for m in r.methods if m != "HEAD"}


def test_the_matrix_names_every_route() -> None:
    assert app_routes() == {(m, route) for m, route, *_ in MATRIX}


def concrete(site: Site, path: str) -> str:
    return path.format(qcl=site.ids["泉城路总结.docx"], yj=site.ids["姚家总结.docx"],
                       review=site.ids["无单位.docx"], rejected=site.ids["坏文件.docx"],
                       packet=site.packets["quanchenglu"], district=site.packets["district"])


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(home, role: str) -> None:  # noqa: ANN001
    site = build_site()
    web = signed_in(role)
    token = csrf_of(web)
    for method, _, path, form, expected in MATRIX:
        want = expected and expected[role]
        if want is None:
            continue
        url = concrete(site, path)
        r = web.get(url) if method == "GET" else web.post(url, data={**form, "csrf": token})
        assert r.status_code == want, (role, method, url, r.text[:300])


def test_anonymous_gets_the_login_page_or_401(sqlite_home) -> None:  # noqa: ANN001
    site = build_site()
    web = client()
    for method, route, path, _, _ in MATRIX:
        url = concrete(site, path)
        r = web.get(url) if method == "GET" else web.post(url, data={})
        if route == "/login":
            continue
        if route.startswith("/api/"):
            assert r.status_code == 401, url
        elif method == "GET":
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), url
        else:
            assert r.status_code in (303, 403), url  # no session, or no login form token
    assert web.get("/static/fulian.css").status_code == 200


def test_a_unit_user_never_sees_another_units_document(home) -> None:  # noqa: ANN001
    site = build_site()
    web = signed_in("qcl")
    yj = site.ids["姚家总结.docx"]
    listing = web.get("/submissions").text
    assert "泉城路总结.docx" in listing and "姚家总结.docx" not in listing and "无单位.docx" not in listing
    assert "姚家总结.docx" not in web.get("/submissions", params={"text": "姚家街道"}).text
    assert "姚家总结.docx" not in web.get("/submissions", params={"unit": "yaojia"}).text
    assert "共 0 件" in web.get("/submissions", params={"path": "姚家总结.docx"}).text
    assert [s["source_path"] for s in web.get("/api/submissions").json()] == ["泉城路总结.docx"]
    assert {r["unit"] for r in web.get("/api/indicators?year=2013").json()} == {"泉城路街道妇联"}
    for path in (f"/submissions/{yj}", f"/submissions/{yj}/download", f"/submissions/{yj + 100}"):
        r = web.get(path)
        assert r.status_code == 404 and "姚家" not in r.text, path
    staff = signed_in("admin1")
    assert "姚家总结.docx" in staff.get("/submissions", params={"text": "姚家街道"}).text
    assert "共 1 件" in staff.get("/submissions", params={"path": "姚家总结.docx"}).text
    short = staff.get("/submissions", params={"text": "春蕾"}).text  # two characters: below a trigram
    assert "姚家总结.docx" in short and "泉城路总结.docx" not in short and "共 1 件" in short
    assert "共 0 件" in staff.get("/submissions", params={"text": "100%_"}).text  # wildcards are literal


def test_a_unit_user_uploads_only_for_its_units(sqlite_home) -> None:  # noqa: ANN001
    import io

    build_site()
    web = signed_in("yj")
    token = csrf_of(web)
    page = web.get("/upload").text
    assert "姚家街道妇联" in page and "泉城路街道妇联" not in page
    files = [("files", ("a.docx", io.BytesIO(b"abc")))]
    r = web.post("/upload", data={"unit": "quanchenglu", "csrf": token}, files=files)
    assert r.status_code == 400 and "请选择报送单位" in r.text
    r = web.post("/upload", data={"unit": "yaojia", "csrf": token}, files=files)
    assert r.status_code == 200 and "已收到" in r.text
