"""Browser journeys of contact with the public: a citizen leaves a message on a phone and later
sees the unit's answer; a representative records a reception on a phone with three matters that
end three different ways; the unit replies to the transfer."""
import time

from selenium.webdriver.support.ui import Select

from browser import By, chromium, click_and_wait, fill, go, login, phone, shot, text, unmasked_mobiles

RUN = str(int(time.time()))[-6:]


def choose(driver, name, value=None, label=None):
    s = Select(driver.find_element(By.NAME, name))
    if value is not None:
        s.select_by_value(value)
    else:
        s.select_by_visible_text(label)


def open_matter(driver, fragment):
    """From the matters list, opens the one whose text contains `fragment`."""
    link = driver.find_element(By.XPATH, f"//a[contains(., '{fragment}')]")
    click_and_wait(driver, link)


def citizen_message_is_answered_by_the_unit():
    citizen, staff, unit, visitor = phone(), chromium(), phone(), phone()
    try:
        # the citizen leaves a message on a phone, first forgetting the content
        login(citizen, "citizen")
        go(citizen, "/public/messages/new")
        choose(citizen, "station", label="南城街道代表联络站")
        choose(citizen, "category", label="教育")
        click_and_wait(citizen, citizen.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
        assert "请填写留言内容" in text(citizen), "message next to the empty field"
        fill(citizen, "content", f"校门口放学时段车辆乱停,孩子过马路不安全,希望整治。编号{RUN}")
        citizen.find_element(By.NAME, "consent").click()
        click_and_wait(citizen, citizen.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
        code = citizen.find_element(By.ID, "track-code").text
        assert len(code) == 8, code
        assert citizen.execute_script("return document.documentElement.scrollWidth") <= 375
        shot(citizen, "contact-message-done")

        # staff transfer it to 市教育局
        login(staff, "staff")
        go(staff, "/contact?outcome=pending")
        open_matter(staff, RUN)
        assert "13900000001" in text(staff), "staff see the citizen's phone to call back"
        choose(staff, "outcome", value="transferred")
        choose(staff, "unit", label="市教育局")
        click_and_wait(staff, staff.find_element(By.CSS_SELECTOR, "#settle button[type=submit]"))
        assert "市教育局" in text(staff) and "转办" in text(staff)

        # the unit replies on a phone, without seeing the citizen's phone
        login(unit, "unit")
        unit.get(staff.current_url)
        assert "13900000001" not in text(unit)
        choose(unit, "reply_class", value="A")
        fill(unit, "text", "已会同交警部门在放学时段安排执勤,并施划了临时停车区。")
        click_and_wait(unit, unit.find_element(By.CSS_SELECTOR, "#reply button[type=submit]"))
        assert "已答复" in text(unit)
        shot(unit, "contact-unit-replied")

        # the citizen sees the answer and rates it
        go(citizen, "/contact/mine")
        open_matter(citizen, RUN)
        assert "安排执勤" in text(citizen)
        citizen.find_element(By.CSS_SELECTOR, "input[name=rating][value=satisfied]").click()
        click_and_wait(citizen, citizen.find_element(By.CSS_SELECTOR, "#satisfaction button[type=submit]"))
        # the exact status and rating, not a word "不满意" would also contain
        assert citizen.find_element(By.XPATH, "//dt[.='办理状态']/following-sibling::dd[1]").text == "已办结"
        assert citizen.find_element(By.XPATH, "//dt[.='群众评价']/following-sibling::dd[1]").text == "满意"
        shot(citizen, "contact-citizen-rated")

        # anyone with the code and the phone can follow it; the page shows no phone or name
        go(visitor, "/public/messages/track")
        fill(visitor, "code", code)
        fill(visitor, "phone", "13900000001")
        click_and_wait(visitor, visitor.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
        page = text(visitor)
        assert "安排执勤" in page and "13900000001" not in page and "赵红梅" not in page
        assert not unmasked_mobiles(page), unmasked_mobiles(page)
        go(visitor, "/public/messages")
        assert RUN in text(visitor) and "赵红梅" not in text(visitor)
    finally:
        for d in (citizen, staff, unit, visitor):
            d.quit()


def representative_records_a_reception_with_three_outcomes():
    rep, unit = phone(), chromium()
    try:
        login(rep, "rep")
        go(rep, "/contact/receptions/new")
        fill(rep, "people", "5")
        # first matter: a practical matter handled
        fill(rep, "m1_content", f"小区门口路灯不亮{RUN}")
        choose(rep, "m1_category", label="城乡建设")
        choose(rep, "m1_outcome", value="practical")
        fill(rep, "m1_note", "代表当天联系街道,路灯已修复。")
        # second: transferred to a unit, with the citizen's contact
        fill(rep, "m2_content", f"希望学校开设课后托管服务{RUN}")
        choose(rep, "m2_category", label="教育")
        choose(rep, "m2_outcome", value="transferred")
        assert rep.find_element(By.NAME, "m2_unit").is_displayed(), "the unit field appears for a transfer"
        assert not rep.find_element(By.NAME, "m2_reason").is_displayed()
        choose(rep, "m2_unit", label="市教育局")
        fill(rep, "m2_citizen_name", "李秀英")
        fill(rep, "m2_citizen_phone", "13987654321")
        # third: turned into the representative's suggestion
        fill(rep, "m3_content", f"老旧小区加装电梯需要补贴政策{RUN}")
        choose(rep, "m3_category", label="城乡建设")
        choose(rep, "m3_outcome", value="suggestion")
        # a fourth row can be added, and left blank
        rep.find_element(By.ID, "add-matter").click()
        assert rep.find_element(By.NAME, "m4_content").is_displayed()
        assert rep.execute_script("return document.documentElement.scrollWidth") <= 375
        shot(rep, "contact-reception-form")
        click_and_wait(rep, rep.find_element(By.CSS_SELECTOR, "#reception-form button[type=submit]"))
        assert "接待记录已保存" in text(rep) and "意见3件" in text(rep), text(rep)[:300]
        # the suggestion is waiting in the representative's drafts, pointing back to the matter
        open_matter(rep, f"加装电梯需要补贴政策{RUN}")
        assert "转为代表建议" in text(rep)
        click_and_wait(rep, rep.find_element(By.LINK_TEXT, "查看建议草稿"))
        assert "草稿" in text(rep) and f"加装电梯需要补贴政策{RUN}" in text(rep)
        shot(rep, "contact-suggestion-draft")

        # the unit finds the transfer, sees no name or phone, and replies
        login(unit, "unit")
        go(unit, "/contact?outcome=transferred")
        open_matter(unit, f"课后托管服务{RUN}")
        page = text(unit)
        assert "13987654321" not in page and "李秀英" not in page and "李**" in page
        choose(unit, "reply_class", value="B")
        fill(unit, "text", "已在三所小学试点课后托管,明年春季学期推开。")
        click_and_wait(unit, unit.find_element(By.CSS_SELECTOR, "#reply button[type=submit]"))
        assert "已答复待评价" in text(unit)
        shot(unit, "contact-transfer-replied")
    finally:
        rep.quit()
        unit.quit()


JOURNEYS = [citizen_message_is_answered_by_the_unit, representative_records_a_reception_with_three_outcomes]
