"""Browser journey of a suggestion, each party on their own device: the representative files a
joint suggestion on a phone, the co-signer confirms, staff accept and assign, the unit
contacts and replies, the representative rates 不满意, the unit replies again, the
representative rates 满意 — and the timeline shows it all."""
import time

from browser import By, chromium, click_and_wait, fill, go, login, phone, shot, submit, text, unmasked_mobiles

CO_SIGNER_CODE = "GP-00003"  # a demo representative; the demo 'member' is GP-00002


def _select(d, name, label):
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.NAME, name)).select_by_visible_text(label)


def _post(d, form_id):
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]"))


def joint_suggestion_from_phone_to_satisfied():
    title = "关于增设米山镇通学公交的建议%d" % (int(time.time()) % 10000)
    rep = phone()
    try:
        # the representative files it on a phone
        login(rep, "rep")
        go(rep, "/suggestions/new")
        fill(rep, "title", title)
        _select(rep, "category", "交通运输")
        fill(rep, "content", "米山镇距城区较远,学生上下学只能乘坐私人面包车,存在安全隐患。建议开通早晚通学公交专线。")
        fill(rep, "co_signers", "GP-00002")
        click_and_wait(rep, rep.find_element(By.CSS_SELECTOR, "button[name=submit_now][value='1']"))
        assert "待附议" in text(rep), text(rep)[:300]
        sid = rep.current_url.rstrip("/").split("/")[-1]
        shot(rep, "sug-1-filed-375")

        # the co-signer (the demo committee member, also a representative) confirms
        co = phone()
        try:
            login(co, "member")
            go(co, f"/suggestions/{sid}")
            click_and_wait(co, co.find_element(By.ID, "confirm-cosign"))
            assert "待审查" in text(co)
        finally:
            co.quit()

        staff = chromium()
        try:
            login(staff, "staff")
            go(staff, f"/suggestions/{sid}")
            _post(staff, "review")
            assert "已立案待交办" in text(staff)
            _select(staff, "lead", "市教育局")
            _post(staff, "assign")
            assert "办理中" in text(staff)
            shot(staff, "sug-2-assigned")
        finally:
            staff.quit()

        unit = chromium()
        try:
            login(unit, "unit")
            go(unit, f"/suggestions/{sid}")
            # replying before any contact is refused, with the reason next to the form
            _select(unit, "reply_class", "B 正在解决或列入计划解决")
            fill(unit, "text", "已列入明年计划,将协调公交公司研究开通线路。")
            _post(unit, "reply")
            assert "答复前须先与代表沟通联系" in text(unit)
            unit.find_element(By.CSS_SELECTOR, "#contact input[value=in_person]").click()
            fill(unit, "note", "与代表到学校门口实地查看了放学接送情况。")
            _post(unit, "contact")
            _select(unit, "reply_class", "B 正在解决或列入计划解决")
            fill(unit, "text", "已列入明年计划,将协调公交公司研究开通线路。")
            _post(unit, "reply")
            assert "已答复待评价" in text(unit)
        finally:
            unit.quit()

        # the representative is not satisfied
        go(rep, f"/suggestions/{sid}")
        rep.find_element(By.CSS_SELECTOR, "#evaluate input[value=unsatisfied]").click()
        fill(rep, "comment", "没有明确开通时间。")
        _post(rep, "evaluate")
        assert "办理中" in text(rep), "back for re-handling"

        unit = chromium()
        try:
            login(unit, "unit")
            go(unit, f"/suggestions/{sid}")
            unit.find_element(By.CSS_SELECTOR, "#contact input[value=meeting]").click()
            fill(unit, "note", "召开座谈会,明确了开通时间。")
            _post(unit, "contact")
            _select(unit, "reply_class", "A 已解决或基本解决")
            fill(unit, "text", "通学公交专线已于本月开通,早晚各两班。")
            _post(unit, "reply")
        finally:
            unit.quit()

        # both signers are satisfied; it is closed and the timeline shows every step
        go(rep, f"/suggestions/{sid}")
        rep.find_element(By.CSS_SELECTOR, "#evaluate input[value=satisfied]").click()
        _post(rep, "evaluate")
        co = phone()
        try:
            login(co, "member")
            go(co, f"/suggestions/{sid}")
            co.find_element(By.CSS_SELECTOR, "#evaluate input[value=satisfied]").click()
            _post(co, "evaluate")
        finally:
            co.quit()
        go(rep, f"/suggestions/{sid}")
        page = text(rep)
        assert "已办结" in page, page[:400]
        timeline = rep.find_element(By.ID, "timeline").text
        for step in ["提交联名建议", "确认附议", "立案", "交办主办单位市教育局", "沟通(见面)", "答复,类别B", "评价:不满意",
                     "因不满意退回重新办理", "沟通(座谈)", "重新办理后答复,类别A", "评价:满意", "办结"]:
            assert step in timeline, f"timeline lacks {step}"
        assert rep.execute_script("return document.documentElement.scrollWidth") <= 375
        shot(rep, "sug-3-closed-375")
    finally:
        rep.quit()


def public_sees_published_suggestions_without_personal_data():
    d = phone()
    try:
        go(d, "/public/suggestions")
        assert "代表建议办理公开" in text(d)
        first = d.find_element(By.CSS_SELECTOR, "#suggestions tbody a")
        click_and_wait(d, first)
        page = text(d)
        assert "办理过程" in page
        # no mobile number of any prefix the masking rule knows (13x to 19x), however written
        assert not unmasked_mobiles(page), f"phone numbers on a public page: {unmasked_mobiles(page)}"
        shot(d, "sug-public-375")
    finally:
        d.quit()


JOURNEYS = [joint_suggestion_from_phone_to_satisfied, public_sees_published_suggestions_without_personal_data]
