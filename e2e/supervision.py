"""Browser journey of supervision follow-up (审议意见 + 问题清单): staff register a report reviewed
last week, put a problem on its list and hand the opinions over; the government replies on a
phone, on the problem and with its written report; staff re-check the problem; members grade
the report (the demo `member` on a phone, fifteen more over the API); staff close the problem
(测评销号) and publish; a visitor's phone shows the problem closed and the grade."""
import json
import time
import urllib.request

from browser import BASE, By, chromium, click_and_wait, fill, go, login, phone, set_day, shot, text

RUN = str(int(time.time()))[-5:]


def api(method, path, body=None, token=None):
    req = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def submit_form(driver, form):
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def staff_hand_over_the_body_replies_on_a_phone_members_grade_and_the_public_sees_it():
    staff = chromium()
    gov = phone()
    member = phone()
    visitor = phone()
    try:
        # staff register the report reviewed a week ago
        title = f"关于养老服务工作情况的报告{RUN}"
        login(staff, "staff")
        go(staff, "/supervision")
        staff.find_element(By.CSS_SELECTOR, "#new-review summary").click()
        form = staff.find_element(By.CSS_SELECTOR, "#new-review form")
        form.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=special]").click()
        fill(staff, "title", title)
        for o in form.find_elements(By.CSS_SELECTOR, "select[name=body] option"):
            if o.text == "高平市人民政府":
                o.click()
        fill(staff, "meeting_title", "常委会第三十一次会议")
        set_day(staff, "meeting_on", -7)
        set_day(staff, "received_on", -30)
        set_day(staff, "members_on", -10)
        submit_form(staff, form)
        assert title in text(staff), text(staff)[:300]
        review_url = staff.current_url
        # a problem on its list, then the opinions handed over with it
        staff.find_element(By.CSS_SELECTOR, "#add-problem summary").click()
        form = staff.find_element(By.CSS_SELECTOR, "#add-problem form")
        fill(staff, "area", "养老服务设施不足")
        fill(staff, "title", f"社区养老服务站覆盖不足{RUN}")
        fill(staff, "content", "城区半数社区没有养老服务站,须在三个月内补齐。")
        submit_form(staff, form)
        assert "问题已加入清单" in text(staff), text(staff)[:400]
        fill(staff, "opinions", "请市人民政府认真研究处理审议意见,连同问题清单三个月内书面报告。")
        submit_form(staff, staff.find_element(By.ID, "handover"))
        assert "一并交办" in text(staff) and "整改中" in text(staff), text(staff)[:600]
        shot(staff, "supervision-review-handed-over")

        # the government, on a phone: its problem is in its list; it reports it done, then writes its report
        login(gov, "gov")
        go(gov, "/supervision")
        click_and_wait(gov, gov.find_element(By.LINK_TEXT, f"社区养老服务站覆盖不足{RUN}"))
        problem_url = gov.current_url
        gov.find_element(By.CSS_SELECTOR, "#reply select[name=reply_class] option[value=A]").click()
        fill(gov, "text", "已新建社区养老服务站12个,城区社区全部覆盖。")
        shot(gov, "supervision-body-replies-phone")
        submit_form(gov, gov.find_element(By.ID, "reply"))
        assert "已报告整改情况,待复核" in text(gov), text(gov)[:400]
        gov.get(review_url)
        fill(gov, "text", "市人民政府召开专题会议研究审议意见,逐条落实,问题清单中的问题已整改到位。")
        submit_form(gov, gov.find_element(By.ID, "reply"))
        assert "研究处理情况报告已提交" in text(gov), text(gov)[:400]

        # staff re-check the problem on site
        staff.get(problem_url)
        staff.find_element(By.CSS_SELECTOR, "#recheck summary").click()
        form = staff.find_element(By.CSS_SELECTOR, "#recheck form")
        form.find_element(By.CSS_SELECTOR, "input[name=verdict][value=implemented]").click()
        fill(staff, "evidence", "实地察看五个新建服务站,均已运营。")
        form.find_element(By.NAME, "site_visit").click()
        set_day(staff, "checked_on", 0)
        submit_form(staff, form)
        assert "复核评价已记录" in text(staff), text(staff)[:400]
        # closing before the assessment is refused with the reason
        click_and_wait(staff, staff.find_element(By.XPATH, "//button[text()='测评销号']"))
        assert "满意度测评" in text(staff) and "销号" in text(staff), text(staff)[:400]

        # the assessment: opened by staff; the demo member grades on a phone and gets a receipt
        staff.get(review_url)
        click_and_wait(staff, staff.find_element(By.XPATH, "//button[text()='开始电子测评']"))
        login(member, "member")
        member.get(review_url)
        member.find_element(By.CSS_SELECTOR, "#vote input[value=satisfied]").click()
        submit_form(member, member.find_element(By.ID, "vote"))
        assert "回执码" in text(member), text(member)[:400]
        shot(member, "supervision-member-grades-phone")
        review_id = int(review_url.rstrip("/").split("/")[-1])
        for i in range(2, 17):
            token = api("POST", "/api/v1/auth/token", {"username": f"member{i:02d}", "password": "renda-demo"})["token"]
            api("POST", f"/api/v1/supervision/reviews/{review_id}/assessment/vote", {"grade": "satisfied"}, token)
        staff.get(review_url)
        click_and_wait(staff, staff.find_element(By.XPATH, "//button[text()='结束测评并计算结果']"))
        assert "测评结束:满意" in text(staff), text(staff)[:500]
        # now the problem closes, and the review is published
        staff.get(problem_url)
        click_and_wait(staff, staff.find_element(By.XPATH, "//button[text()='测评销号']"))
        assert "已销号(已整改)" in text(staff), text(staff)[:400]
        staff.get(review_url)
        click_and_wait(staff, staff.find_element(By.XPATH, "//button[text()='向社会公开']"))
        shot(staff, "supervision-review-closed")

        # a visitor's phone: the list, the problem closed with its date, the grade and the reports
        go(visitor, "/public/supervision")
        click_and_wait(visitor, visitor.find_element(By.PARTIAL_LINK_TEXT, title))
        page = text(visitor)
        assert f"社区养老服务站覆盖不足{RUN}" in page and "已销号(已整改)" in page, page[:600]
        assert "满意度测评:满意" in page and "已新建社区养老服务站12个" in page, page[:800]
        assert "整改中0个" in page, page[:600]
        shot(visitor, "supervision-public-phone")
    finally:
        for d in (staff, gov, member, visitor):
            d.quit()


JOURNEYS = [staff_hand_over_the_body_replies_on_a_phone_members_grade_and_the_public_sees_it]
