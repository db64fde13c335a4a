#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connect page in a real browser: Debian's chromium, headless, driven by chromedriver
through python3-selenium (all from build-aux/install-deps --tests). An end user opens the
link, fills the form, sees the error beside the field they left out with what they typed kept,
sends it again and lands on the success page; then signs in through an OAuth provider the
test runs on the loopback and comes back linked. At desktop (1280 px) and phone (390 px)
widths the page has no horizontal scrolling and its inputs fit.

  test-connect-browser.py [--screenshots DIR]   (saves the pages it sees as PNGs in DIR)
"""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import connect_fixture as fx  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = None
API_KEY = "bamboo-browser-key-9090"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--lang=en-US", "--window-size=1280,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for path in (CHROMIUM, CHROMEDRIVER):
            if not os.access(path, os.X_OK):
                raise RuntimeError("%s is missing: run build-aux/install-deps --tests" % path)
        cls.dir = fx.temp_dir()
        cls.provider = fx.Provider("platform-hubspot", "platform-hubspot-secret-3141")
        catalog = fx.catalog_with({("hubspot", "oauth2"): (cls.provider, "")}, cls.dir)
        apps = os.path.join(cls.dir, "oauth-apps.json")
        with open(apps, "w") as f:
            f.write('{"hubspot": {"client_id": "platform-hubspot", '
                    '"client_secret": "platform-hubspot-secret-3141"}}')
        cls.server = fx.Server(cls.dir, ["--catalog", catalog, "--oauth-apps", apps])
        cls.profile = tempfile.mkdtemp(prefix="pb-test-chromium-")
        cls.driver = browser(cls.profile)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.stop()
        cls.provider.stop()
        shutil.rmtree(cls.profile, ignore_errors=True)
        fx.remove(cls.dir)
        assert API_KEY not in cls.server.log

    def link(self, provider, owner):
        status, answer = self.server.api("POST", "/connect_sessions", {
            "origin_owner_id": owner, "origin_owner_name": "Globex Ltd", "provider": provider})
        self.assertEqual(status, 201, answer)
        return answer["url"]

    def submit(self, until=None):
        """Sends the form and waits for the next page (and for @until, a condition on the
        driver, when the page redirects further)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # While the page goes, chromium may answer "does not belong to the document" instead of
        # "stale": both mean the old page is gone.
        WebDriverWait(self.driver, 60).until(lambda driver: self.is_gone(old))
        if until is not None:
            WebDriverWait(self.driver, 60).until(until)

    @staticmethod
    def is_gone(element):
        try:
            return expected_conditions.staleness_of(element)(None)
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise

    def shoot(self, name, width):
        """Looks at the page at @width: nothing wider than the window; saves it if asked."""
        self.driver.set_window_size(width, 900)
        wide = self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        self.assertLessEqual(wide, 0, "%s scrolls sideways at %d px" % (name, width))
        for element in self.driver.find_elements(By.CSS_SELECTOR, "input, select, button"):
            right = element.rect["x"] + element.rect["width"]
            self.assertLessEqual(right, width, "%s: an input sticks out at %d px" % (name, width))
        if SHOTS:
            # The whole page: the window is the page's height plus what is not viewport.
            height = self.driver.execute_script(
                "return document.documentElement.scrollHeight + window.outerHeight"
                " - window.innerHeight")
            self.driver.set_window_size(width, height)
            self.driver.save_screenshot(os.path.join(SHOTS, "%s-%d.png" % (name, width)))
            self.driver.set_window_size(width, 900)

    def test_form(self):
        d = self.driver
        d.get(self.link("bamboohr", "browser-1"))
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "Link your BambooHR account")
        self.assertIn("Acme HR", d.find_element(By.CLASS_NAME, "project").text)
        # Every input has its label.
        for name in ("api_key", "subdomain"):
            field = d.find_element(By.NAME, name)
            label = d.find_element(By.CSS_SELECTOR, 'label[for="%s"]' % field.get_attribute("id"))
            self.assertTrue(label.text)
        for width in (1280, 390):
            self.shoot("connect-page", width)

        # The key is left out: the page says so beside it and keeps the subdomain typed.
        d.find_element(By.NAME, "subdomain").send_keys("globex")
        self.submit()
        error = d.find_element(By.ID, "f-api_key-msg")
        self.assertEqual(error.text, "API key is required.")
        self.assertEqual(d.find_element(By.NAME, "api_key").get_attribute("aria-invalid"), "true")
        self.assertEqual(d.find_element(By.NAME, "subdomain").get_attribute("value"), "globex")
        self.assertIn("another look", d.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        for width in (1280, 390):
            self.shoot("connect-page-error", width)

        d.find_element(By.NAME, "api_key").send_keys(API_KEY)
        self.submit()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "Your BambooHR account is linked")
        self.assertNotIn(API_KEY, d.page_source)
        for width in (1280, 390):
            self.shoot("connect-page-linked", width)

        # The link works once.
        old = d.find_element(By.TAG_NAME, "html")
        d.get(d.current_url)
        WebDriverWait(d, 60).until(expected_conditions.staleness_of(old))
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "This link was already used")

    def test_oauth(self):
        d = self.driver
        url = self.link("hubspot", "browser-oauth")
        d.get(url)
        button = d.find_element(By.CSS_SELECTOR, "button[type=submit]")
        self.assertEqual(button.text, "Continue to HubSpot")
        # To the provider and back, by redirects alone.
        callback = self.server.url + "/connect/oauth2/hubspot/callback?"
        self.submit(lambda driver: driver.current_url.startswith(callback))
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "Your HubSpot account is linked")
        self.assertEqual(len(self.provider.authorize_requests), 1)
        self.assertEqual(self.provider.problems, [])
        status, page = self.server.api("GET", "/accounts?provider=hubspot&q=Globex")
        mine = [a for a in page["data"] if a["origin_owner_id"] == "browser-oauth"]
        self.assertEqual(mine[0]["status"], "active")

    def test_expired_link(self):
        d = self.driver
        d.get(self.server.url + "/connect/not-a-token")
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "This link is not valid")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--screenshots"]:
        SHOTS = os.path.abspath(sys.argv[2])
        os.makedirs(SHOTS, exist_ok=True)
        del sys.argv[1:3]
    unittest.main(verbosity=2)
