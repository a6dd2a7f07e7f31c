"""Browser journey of 意见征集: staff upload a .docx draft, check its sections and publish it; a
citizen comments on 第三条 from a phone, proving the number with the SMS code (read from the SMS
outbox, as the gateway would deliver it); a representative comments from a phone; staff publish
both, group them, record the disposition, end the period and publish the 通报; the citizen sees
the disposition beside their comment, gets it by SMS, and reads the 通报."""
import glob
import os
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse
import zipfile

from browser import By, chromium, click_and_wait, fill, go, login, phone, set_day, shot, text, unmasked_mobiles, wait_until

RUN = str(int(time.time()))[-5:]
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx(paragraphs):
    """A minimal Word document, deflated as Word writes it."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body + '</w:body></w:document>')
    path = os.path.join(tempfile.mkdtemp(), "停车管理条例草案.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", xml)
    return path


def outbox(phone_number):
    """The SMS texts queued for a phone, newest first, from the server's database."""
    url = os.environ.get("RENDA_E2E_DATABASE_URL")
    query = f"SELECT text FROM outbox_messages WHERE phone = '{phone_number}' ORDER BY id DESC"
    if url:
        p = urllib.parse.urlparse(url)
        psql = (sorted(glob.glob("/usr/lib/postgresql/*/bin/psql")) or ["psql"])[-1]
        out = subprocess.run([psql, "-h", p.hostname, "-p", str(p.port), "-U", p.username or "postgres", "-d", p.path[1:], "-Atc", query],
                             check=True, capture_output=True, text=True)
        return [line for line in out.stdout.split("\n") if line]
    db = os.path.join(os.environ.get("RENDA_E2E_DATA_DIR", "data"), "renda.sqlite")
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute(query)]


def staff_publish_a_docx_draft_citizen_and_representative_comment_and_see_the_disposition():
    staff, citizen, rep = chromium(), phone(), phone()
    title = f"停车管理条例(草案)E2E{RUN}"
    mobile = "139" + RUN.rjust(8, "7")[-8:]
    try:
        # staff upload a .docx draft and check how it was split
        login(staff, "staff")
        go(staff, "/consultations")
        click_and_wait(staff, staff.find_element(By.LINK_TEXT, "发布征求意见稿"))
        fill(staff, "title", title)
        set_day(staff, "opens_on", 0)
        set_day(staff, "closes_on", 20)
        staff.find_element(By.NAME, "file").send_keys(docx([
            "第一章 总则", "第一条 为了规范停车管理,制定本条例。", "第二条 本条例适用于本市行政区域。",
            "第三条 新建住宅小区应当按照每户不少于一个的标准配建停车位。", "第二章 附则", "第四条 本条例自公布之日起施行。"]))
        shot(staff, "consultation-new")
        click_and_wait(staff, staff.find_element(By.CSS_SELECTOR, "#draft-form button[type=submit]"))
        page = text(staff)
        assert "草稿已保存" in page, page[:400]
        assert "第三条" in page and "新建住宅小区" in page and "第四条" in page, page[:800]
        consultation = staff.current_url.split("/consultations/")[1].split("?")[0].split("#")[0]
        shot(staff, "consultation-draft")
        click_and_wait(staff, staff.find_element(By.ID, "publish"))
        assert "已发布" in text(staff)

        # a citizen comments on 第三条 from a phone, with the SMS code
        go(citizen, f"/public/consultations/{consultation}")
        assert title in text(citizen)
        click_and_wait(citizen, citizen.find_element(By.CSS_SELECTOR, "#article-3 a.button"))
        fill(citizen, "content", "建议新建小区每户配建不少于1.5个停车位,并配建充电桩。")
        fill(citizen, "phone", mobile)
        click_and_wait(citizen, citizen.find_element(By.ID, "get-code"))
        assert "验证码已发送" in text(citizen), text(citizen)[:400]
        code = wait_until(lambda: next(("".join(ch for ch in t if ch.isdigit())[:6] for t in outbox(mobile) if "验证码" in t), None), 10, "the SMS code")
        fill(citizen, "code", code)
        click_and_wait(citizen, citizen.find_element(By.ID, "submit-comment"))
        assert "谢谢您的意见" in text(citizen), text(citizen)[:400]
        assert citizen.execute_script("return document.documentElement.scrollWidth") <= 375, "no sideways scrolling at 375 px"
        shot(citizen, "consultation-comment-phone")

        # a representative comments on the same article from a phone
        login(rep, "rep")
        go(rep, f"/consultations/{consultation}")
        rep.find_element(By.CSS_SELECTOR, "#section option[value='article-3']").click()
        fill(rep, "content", "建议新建小区每户配建不少于1.5个停车位。")
        click_and_wait(rep, rep.find_element(By.ID, "submit-comment"))
        assert "意见已提交" in text(rep), text(rep)[:400]
        shot(rep, "consultation-representative-phone")

        # staff publish both, end the period, group and dispose
        go(staff, f"/consultations/{consultation}/comments?status=pending")
        assert "139****" in text(staff) and mobile not in staff.page_source, "staff's list masks the phone"
        for _ in range(2):
            click_and_wait(staff, staff.find_element(By.XPATH, "//ul[@id='comments']//button[contains(., '公开')]"))
        go(staff, f"/consultations/{consultation}")
        assert "参与2人次(其中人大代表1人次,社会公众1人次),征集到意见建议2条" in text(staff), text(staff)[:600]
        staff.find_element(By.CSS_SELECTOR, "#close summary").click()
        click_and_wait(staff, staff.find_element(By.ID, "close-now"))
        assert "征集已结束" in text(staff)
        go(staff, f"/consultations/{consultation}/groups")
        click_and_wait(staff, staff.find_element(By.ID, "regroup"))
        group = staff.find_element(By.CSS_SELECTOR, "section.group")
        assert "2条" in group.text, group.text
        group.find_element(By.XPATH, ".//summary[contains(., '处理结果')]").click()
        group.find_element(By.CSS_SELECTOR, "input[value='partly']").click()
        group.find_element(By.NAME, "disposition_reason").send_keys("配建标准提高到每户1.2个,充电设施另行规定。")
        group.find_element(By.CSS_SELECTOR, "select[name=changed_section] option[value='article-3']").click()
        click_and_wait(staff, group.find_element(By.CSS_SELECTOR, "button.primary"))
        assert "通知了2位提出人" in text(staff), text(staff)[:400]
        shot(staff, "consultation-groups")

        # staff publish the 通报
        go(staff, f"/consultations/{consultation}/report")
        assert "处理结果:部分采纳" in staff.find_element(By.NAME, "report").get_attribute("value")
        click_and_wait(staff, staff.find_element(By.ID, "save-report"))
        click_and_wait(staff, staff.find_element(By.CSS_SELECTOR, "#publish-report button"))
        assert "通报已公布" in text(staff), text(staff)[:400]

        # the citizen sees the disposition by SMS, beside their comment, and in the 通报
        assert any("部分采纳" in t for t in outbox(mobile)), outbox(mobile)
        go(citizen, f"/public/consultations/{consultation}/comments")
        page = text(citizen)
        assert "建议新建小区每户配建不少于1.5个停车位,并配建充电桩" in page and "部分采纳" in page, page[:600]
        assert not unmasked_mobiles(page), unmasked_mobiles(page)
        shot(citizen, "consultation-disposition-phone")
        go(citizen, f"/public/consultations/{consultation}")
        click_and_wait(citizen, citizen.find_element(By.ID, "report-link"))
        assert "征求意见情况的通报" in text(citizen) and "部分采纳" in text(citizen)
        shot(citizen, "consultation-report-phone")
    finally:
        for d in (staff, citizen, rep):
            d.quit()


def the_land_use_plan_shows_the_seeds_figures():
    d = phone()
    try:
        go(d, "/public/consultations")
        click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, "国土空间总体规划"))
        assert "参与557人次(其中人大代表372人次,社会公众185人次),征集到意见建议337条" in text(d), text(d)[:500]
        assert d.execute_script("return document.documentElement.scrollWidth") <= 375
        shot(d, "consultation-plan-phone")
    finally:
        d.quit()


JOURNEYS = [staff_publish_a_docx_draft_citizen_and_representative_comment_and_see_the_disposition, the_land_use_plan_shows_the_seeds_figures]
