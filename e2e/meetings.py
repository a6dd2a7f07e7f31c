"""Browser journey of a vote: staff open a ballot in the meeting, members sign in and vote on
phones (375 px), the projection page updates live (Server-Sent Events), staff close, the
result shows; then `renda verify-ballots` recomputes the chain and the tally."""
import os
import subprocess

from browser import By, chromium, click_and_wait, go, login, phone, shot, text, wait_until


def members_vote_on_phones_and_the_screen_follows():
    staff = chromium()
    screen = chromium(1280, 720)
    try:
        login(staff, "staff")
        go(staff, "/meetings")
        click_and_wait(staff, staff.find_element(By.CSS_SELECTOR, "tbody a"))
        meeting_url = staff.current_url
        assert "已达到法定人数" in text(staff)
        # prepare a ballot on the appointment item and open it
        item_forms = staff.find_elements(By.CSS_SELECTOR, "form[action$='/ballot']")
        form = item_forms[-1]
        staff.execute_script("arguments[0].closest('details').open = true", form)
        area = form.find_element(By.NAME, "questions")
        area.clear()
        area.send_keys("任命王晓东为市司法局局长")
        click_and_wait(staff, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        links = staff.find_elements(By.XPATH, "//a[contains(., '待表决')]")
        click_and_wait(staff, links[-1])
        ballot_url = staff.current_url
        click_and_wait(staff, staff.find_element(By.ID, "open-ballot"))
        assert "表决中" in text(staff)

        login(screen, "staff")
        screen.get(ballot_url + "/screen")
        wait_until(lambda: screen.find_element(By.ID, "screen-state").text == "正在表决", 10, "the screen shows 正在表决")
        before = int(screen.find_element(By.ID, "voted").text)

        # two members on phones: one signs in first, both vote; a second vote is refused
        for n, choice in (("member", "yes"), ("member03", "no")):
            p = phone()
            try:
                login(p, n)
                p.get(meeting_url)
                click_and_wait(p, p.find_element(By.ID, "sign-in"))
                p.get(ballot_url)
                p.find_element(By.CSS_SELECTOR, f"input[value={choice}]").click()
                click_and_wait(p, p.find_element(By.ID, "cast"))
                assert "回执码" in p.find_element(By.ID, "receipt").text
                assert p.execute_script("return document.documentElement.scrollWidth") <= 375
                shot(p, f"vote-{n}-375")
            finally:
                p.quit()
        # the projection page moved without a reload
        wait_until(lambda: int(screen.find_element(By.ID, "voted").text) >= before + 2, 10, "the screen to count both votes live")
        assert int(screen.find_element(By.ID, "voted").text) == before + 2, "screen updated live"
        shot(screen, "screen-open")

        staff.get(ballot_url)
        click_and_wait(staff, staff.find_element(By.ID, "close-ballot"))
        assert "表决结束" in text(staff) or "已结束" in text(staff)
        results = staff.find_element(By.ID, "results").text
        assert "未通过" in results, results  # 1 赞成 of 29 members
        wait_until(lambda: screen.find_element(By.ID, "screen-state").text == "表决结束", 10, "the screen shows 表决结束")
        shot(screen, "screen-closed")

        # `renda verify-ballots` is part of the journey: without its data directory and binary it fails, never skips
        data = os.environ.get("RENDA_E2E_DATA_DIR")
        binary = os.environ.get("RENDA_E2E_BINARY")
        assert data and binary, "verify-ballots needs RENDA_E2E_DATA_DIR and RENDA_E2E_BINARY (scripts/test sets them)"
        assert os.path.isfile(binary) and os.access(binary, os.X_OK), f"RENDA_E2E_BINARY {binary} is not an executable"
        ballot_id = ballot_url.rstrip("/").split("/")[-1]
        env = {**os.environ, "RENDA_DATA_DIR": data, "LOG_LEVEL": "error"}
        if os.environ.get("RENDA_E2E_DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["RENDA_E2E_DATABASE_URL"]
        # the seal as published on the result page must match the box
        seal = staff.find_element(By.ID, "seal").text.strip()
        out = subprocess.run([binary, "verify-ballots", ballot_id, "--seal", seal], env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and "哈希链完整" in out.stdout, out.stdout + out.stderr
    finally:
        staff.quit()
        screen.quit()


JOURNEYS = [members_vote_on_phones_and_the_screen_follows]
