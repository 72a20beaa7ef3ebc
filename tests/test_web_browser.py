"""One journey through `fulian web` in a real browser: Debian's chromium, headless, on loopback.

Selenium drives /usr/bin/chromium through Debian's matching /usr/bin/chromedriver
(nothing is downloaded). Screenshots of the main pages go to FULIAN_SCREENSHOTS
when it is set (docs/screenshots/ is made that way), else to the test's tmp folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _free_port
from tests.test_web import run_nightly, summary_docx
from tests.web_site import PASSWORD, build_site

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def server(sqlite_home: Path) -> Iterator[str]:
    """`fulian web` as a user starts it, on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "fulian.cli", "web", "--port", str(port)],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/login", timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail("fulian web did not start")
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def browser(tmp_path: Path):  # noqa: ANN201 - selenium WebDriver
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed (scripts/system-deps.sh)")
        pytest.skip("chromium not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-gpu", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "dl"),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FULIAN_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for(driver, text: str, timeout: float = 60) -> None:  # noqa: ANN001
    """A click returns before the next page has loaded: wait until it shows `text`."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.page_source)


def log_in(driver, url: str, name: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait_for(driver, "退出")


def test_journey_of_an_archivist_and_a_unit_user(prefect_api: str, server: str, browser,  # noqa: ANN001
                                                 tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    site = build_site()
    shots = shots_dir(tmp_path)
    log_in(browser, server, "arch1")
    assert "<h1>总览</h1>" in browser.page_source and "arch1" in browser.page_source
    browser.save_screenshot(str(shots / "overview.png"))

    upload = tmp_path / "2013年工作总结.docx"
    upload.write_bytes(summary_docx())
    browser.get(f"{server}/upload")
    Select(browser.find_element(By.NAME, "unit")).select_by_value("quanchenglu")
    browser.find_element(By.NAME, "files").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "form[action='/upload'] button").click()
    wait_for(browser, "已收到")
    run_nightly(prefect_api)  # the night's run archives the upload

    browser.get(f"{server}/submissions")
    browser.find_element(By.NAME, "text").send_keys("专场招聘会")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait_for(browser, "共 1 件")
    assert "2013年工作总结.docx" in browser.page_source
    browser.save_screenshot(str(shots / "documents.png"))
    browser.find_element(By.CSS_SELECTOR, "table a[href^='/submissions/']").click()
    wait_for(browser, "正文预览")
    assert browser.find_element(By.TAG_NAME, "mark").text  # the value's evidence, highlighted
    browser.save_screenshot(str(shots / "document.png"))
    browser.find_element(By.CSS_SELECTOR, "a.download").click()
    download = tmp_path / "dl" / "2013年工作总结.docx"
    deadline = time.time() + 20
    while not download.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert download.read_bytes() == upload.read_bytes()

    browser.get(f"{server}/completeness?year=2013")
    browser.find_element(By.CSS_SELECTOR, "form[action='/completeness/recompute'] button").click()
    wait_for(browser, "计算于")
    assert browser.find_elements(By.CSS_SELECTOR, "table.grid td.s-ok, table.grid td.s-missing")
    browser.save_screenshot(str(shots / "completeness.png"))

    browser.get(f"{server}/review")
    browser.save_screenshot(str(shots / "review.png"))
    row = browser.find_element(By.CSS_SELECTOR, "form.decide")
    Select(row.find_element(By.NAME, "unit")).select_by_value("yaojia")
    row.find_element(By.NAME, "note").send_keys("据落款印章判断")
    row.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, "当前状态：已归档")
    assert "据落款印章判断" in browser.page_source

    browser.get(f"{server}/audit")
    names = browser.page_source
    assert "下载原件" in names and "人工审核" in names and "查看文档" in names
    browser.save_screenshot(str(shots / "audit.png"))
    browser.find_element(By.CSS_SELECTOR, "nav.user button").click()  # log out
    wait_for(browser, "<h1>登录</h1>")

    log_in(browser, server, "qcl")
    browser.get(f"{server}/submissions/{site.ids['姚家总结.docx']}")
    assert "无权查看" in browser.page_source and "春蕾" not in browser.page_source
