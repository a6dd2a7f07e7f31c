"""Browser journey of 民生实事项目票决: a citizen proposes on a phone (kept out of sight until
staff publish it, the phone never shown), a representative proposes on a phone, staff record the
standing committee's review and open the ballot with the projection screen up, the representative
marks a candidate on a phone and gets a receipt (the screen counts it live), staff close it, the
screen shows each candidate's outcome, and the public page shows every candidate's votes."""
from browser import By, chromium, click_and_wait, fill, go, login, phone, set_day, shot, text, wait_until


def citizen_and_representative_propose_the_ballot_is_held_and_the_public_page_shows_it():
    citizen, rep, staff, screen = phone(), phone(), chromium(), chromium()
    try:
        # a citizen proposes on a phone, with a phone number
        go(citizen, "/public/livelihood/propose")
        fill(citizen, "title", "老城区增设公共自行车点")
        fill(citizen, "description", "老城区公共自行车点太少,建议在医院、学校门口增设。")
        fill(citizen, "phone", "13912345678")
        click_and_wait(citizen, citizen.find_element(By.CSS_SELECTOR, "#propose button[type=submit]"))
        assert "已收到您的建议" in text(citizen), text(citizen)[:300]
        assert citizen.execute_script("return document.documentElement.scrollWidth") <= 375, "no sideways scrolling at 375 px"
        shot(citizen, "livelihood-propose-phone")

        # a representative proposes next year's candidate on a phone
        login(rep, "rep")
        go(rep, "/livelihood")
        assert "建设城区应急避难场所" in text(rep), text(rep)[:300]
        fill(rep, "title", "城区学校周边交通安全设施")
        fill(rep, "description", "在城区12所中小学周边增设护栏、减速带和过街天桥。")
        fill(rep, "budget", "450")
        click_and_wait(rep, rep.find_element(By.CSS_SELECTOR, "#propose button[type=submit]"))
        assert "已提出候选项目" in text(rep)
        assert "13912345678" not in rep.page_source and "公共自行车" not in text(rep), "a citizen's proposal waits for staff"
        shot(rep, "livelihood-list-phone")

        # staff publish the citizen's proposal, record the review, and open the ballot
        login(staff, "staff")
        go(staff, "/livelihood")
        staff.find_element(By.LINK_TEXT, "老城区增设公共自行车点").click()
        assert "13912345678" in text(staff), "staff see how to reach the citizen"
        click_and_wait(staff, staff.find_element(By.XPATH, "//form[@id='moderate']//button[contains(., '采用')]"))
        go(staff, "/livelihood")
        form = staff.find_element(By.ID, "review")
        form.find_element(By.NAME, "review_meeting").send_keys("市十七届人大常委会第三十二次会议")
        set_day(staff, "reviewed_on", 0, within=form)
        form.find_element(By.NAME, "review_opinion").send_keys("同意提请票决。")
        form.find_element(By.NAME, "places").send_keys("2")
        click_and_wait(staff, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "候选项目名单已确定" in text(staff), text(staff)[:400]
        staff.find_element(By.LINK_TEXT, "票决").click()
        click_and_wait(staff, staff.find_element(By.ID, "open-ballot"))
        assert "票决已开始" in text(staff)
        # the projection screen, opened from the ballot page, listens for papers
        login(screen, "staff")
        href = staff.find_element(By.ID, "open-screen").get_attribute("href")
        go(screen, "/" + href.split("//", 1)[1].split("/", 1)[1])
        wait_until(lambda: screen.find_element(By.ID, "screen-state").text == "正在表决", 10, "the screen shows 正在表决")
        assert screen.find_element(By.ID, "voted").text == "0"

        # the representative marks three (refused), then one, on the phone
        go(rep, "/livelihood")
        rep.find_element(By.LINK_TEXT, "票决").click()
        boxes = rep.find_elements(By.CSS_SELECTOR, "#vote input.mark")
        assert len(boxes) == 3, len(boxes)
        for b in boxes:
            b.click()
        assert rep.find_element(By.ID, "chosen").text == "3"
        click_and_wait(rep, rep.find_element(By.ID, "cast"))
        assert "最多选择2项,您选择了3项" in text(rep), text(rep)[:400]
        rep.find_elements(By.CSS_SELECTOR, "#vote input.mark")[1].click()
        click_and_wait(rep, rep.find_element(By.ID, "cast"))
        assert "您的回执码" in text(rep), text(rep)[:400]
        shot(rep, "livelihood-voted-phone")
        wait_until(lambda: screen.find_element(By.ID, "voted").text == "1", 10, "the screen to count the paper live")

        # staff close it; the public page shows every candidate's votes, one deputy is not more than half
        staff.refresh()
        click_and_wait(staff, staff.find_element(By.ID, "close-ballot"))
        assert "票决结束" in text(staff)
        wait_until(lambda: screen.find_element(By.ID, "screen-state").text == "表决结束", 10, "the screen shows 表决结束")
        wait_until(lambda: "未过半数" in screen.find_element(By.ID, "screen-results").text, 10, "the screen shows each outcome")
        shot(screen, "livelihood-screen")
        go(citizen, "/public/livelihood")
        page = text(citizen)
        assert "票决结果" in page and "城区学校周边交通安全设施" in page and "未过半数" in page, page[:600]
        assert "13912345678" not in citizen.page_source
        shot(citizen, "livelihood-public-phone")
    finally:
        for d in (citizen, rep, staff, screen):
            d.quit()


JOURNEYS = [citizen_and_representative_propose_the_ballot_is_held_and_the_public_page_shows_it]
