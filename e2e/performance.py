"""Browser journey of the performance records: a representative reads their record on a phone
and disputes a point; staff publish the quarter (the disputed point stays out) and then decide
the dispute; the public page updates."""
import re

from selenium.webdriver.support.ui import Select

from browser import By, chromium, click_and_wait, go, login, phone, shot, text


def published_points(driver, rep_path):
    go(driver, rep_path)
    m = re.search(r"已公布积分(\d+(?:\.\d)?)", text(driver))
    return float(m.group(1)) if m else None


def representative_disputes_a_point_and_the_public_page_updates():
    rep, staff, visitor = phone(), chromium(), phone()
    try:
        # the representative opens their record on a phone
        login(rep, "rep")
        go(rep, "/performance")
        rep_id = re.search(r"/performance/representatives/(\d+)", rep.current_url).group(1)
        body = text(rep)
        assert "的履职档案" in body and "出席会议" in body, body[:300]
        assert rep.execute_script("return document.documentElement.scrollWidth") <= 375, "no sideways scrolling at 375 px"
        shot(rep, "performance-record-phone")
        # and disputes the point of the congress session of 2026-01-12
        row = rep.find_element(By.XPATH, "//tr[td[contains(., '2026-01-12')] and td[contains(., '出席会议')]]")
        row.find_element(By.TAG_NAME, "summary").click()
        row.find_element(By.NAME, "reason").send_keys("那天在外地参加培训,只出席了半天。")
        click_and_wait(rep, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "异议已提交" in text(rep)
        row = rep.find_element(By.XPATH, "//tr[td[contains(., '2026-01-12')] and td[contains(., '出席会议')]]")
        assert "异议处理中" in row.text, row.text

        # staff publish the first quarter of 2026 while the dispute is open
        public = f"/public/representatives/{rep_id}"
        login(staff, "staff")
        go(staff, "/performance/review")
        assert "那天在外地参加培训" in text(staff)
        form = staff.find_element(By.ID, "publish")
        year = form.find_element(By.NAME, "year")
        year.clear()
        year.send_keys("2026")
        Select(form.find_element(By.NAME, "quarter")).select_by_value("1")
        click_and_wait(staff, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "积分已公布" in text(staff)
        during = published_points(visitor, public)
        assert during is not None, text(visitor)[:400]
        row = visitor.find_element(By.XPATH, "//tr[td[contains(., '2026-01-12')] and td[contains(., '出席会议')]]")
        assert "—" in row.text, "the disputed point is not published: " + row.text
        shot(visitor, "performance-public-during-dispute")

        # when staff decide the dispute against it, the point counts and the public page shows it
        go(staff, "/performance/review")
        card = staff.find_element(By.XPATH, "//section[contains(@id, 'dispute-') and contains(., '那天在外地参加培训')]")
        card.find_element(By.NAME, "resolution").send_keys("签到表和会议记录显示全天出席。")
        click_and_wait(staff, card.find_element(By.XPATH, ".//button[contains(., '异议不成立')]"))
        assert "异议已处理" in text(staff)
        after = published_points(visitor, public)
        assert after == during + 2, f"{during} → {after}"
        row = visitor.find_element(By.XPATH, "//tr[td[contains(., '2026-01-12')] and td[contains(., '出席会议')]]")
        assert row.find_elements(By.XPATH, "td[last()][normalize-space(.)='2']"), "the point is published now: " + row.text
        shot(visitor, "performance-public-after")
    finally:
        for d in (rep, staff, visitor):
            d.quit()


JOURNEYS = [representative_disputes_a_point_and_the_public_page_updates]
