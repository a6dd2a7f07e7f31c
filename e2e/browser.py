"""Shared helpers for the browser journeys: a headless Chromium driven by selenium."""
import os
import re
import shutil
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("RENDA_URL", "http://127.0.0.1:8080")
OUT = os.environ.get("RENDA_E2E_OUT", os.path.join(os.path.dirname(__file__), "out"))


def wait_until(condition, timeout=10, message="condition", interval=0.1):
    """Polls `condition` until it returns something true, and returns that; fails with
    `message` after `timeout` seconds. Exceptions while polling (an element not there yet,
    a server not listening yet) count as "not yet"; the last one is shown on failure."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - any failure while polling means "not yet"
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}" + (f" (last error: {last!r})" if last else ""))
        time.sleep(interval)


# An unmasked mainland mobile number as the server's masking rule (Masking.mobile) finds it:
# 1, then 3–9, then nine digits, optionally after +86/0086/86 and with one space, dash, dot
# or no-break space between digits; no digit touching it on either side.
_SEP = "[ \\-.\u00a0]?"
MOBILE = re.compile("(?<![0-9])(?:(?:\\+|00)?86" + _SEP + ")?\\(?1" + _SEP + "[3-9]" + _SEP + "[0-9]\\)?(?:" + _SEP + "[0-9]){8}(?![0-9])")


def unmasked_mobiles(page_text):
    """Every unmasked mobile number in a page's text, for every prefix the rule accepts (13x–19x)."""
    return [m.group(0) for m in MOBILE.finditer(page_text)]


def chromium(width=1280, height=900, mobile=False):
    opts = webdriver.ChromeOptions()
    if mobile:
        # Headless windows are at least 500 px wide; emulate the phone's screen instead.
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(binary):
            opts.binary_location = binary
            break
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", "--lang=zh-CN"):
        opts.add_argument(arg)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    driver.implicitly_wait(3)
    return driver


def phone():
    """A 375 px wide phone screen."""
    return chromium(375, 812, mobile=True)


def go(driver, path):
    driver.get(BASE + path)


def fill(driver, name, value):
    el = driver.find_element(By.NAME, name)
    el.clear()
    el.send_keys(value)


def click_and_wait(driver, element):
    """Clicks something that loads a new page and waits until the new page has replaced the old."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_):
        # Mid-navigation Chromium may answer with an inspector error instead of "stale";
        # either way the old page is gone.
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 15).until(replaced)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def submit(driver, form_selector="form.form"):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, form_selector + " button[type=submit]"))


def login(driver, username, password="renda-demo"):
    go(driver, "/login")
    fill(driver, "username", username)
    fill(driver, "password", password)
    submit(driver)


def logout(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))


def congress_day(days_from_today=0):
    """A date as the congress counts days (Asia/Shanghai, UTC+8, no daylight saving), YYYY-MM-DD.
    Not the machine's UTC date: between 16:00 and 24:00 UTC the two differ by a day, and the
    server checks dates against its own today."""
    import datetime
    zone = datetime.timezone(datetime.timedelta(hours=8))
    return (datetime.datetime.now(zone) + datetime.timedelta(days=days_from_today)).strftime("%Y-%m-%d")


def set_day(driver, name, days_from_today, within=None):
    """Writes a congress day into a date input (typing into a date input depends on the locale)."""
    element = (within or driver).find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1]", element, congress_day(days_from_today))


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def shot(driver, name):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".png")
    height = driver.execute_script("return document.body.scrollHeight")
    width = driver.get_window_size()["width"]
    if driver.execute_script("return window.innerWidth") > 400:
        driver.set_window_size(width, min(max(height + 120, 600), 4000))
    driver.save_screenshot(path)
    return path
