"""Browser journeys: each role's main path in headless Chromium against a running server
(scripts/test starts `renda serve --demo`). Prints 'e2e: N passed, M failed'."""
import os
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))
from browser import By, chromium, click_and_wait, fill, go, login, logout, phone, shot, submit, text  # noqa: E402

HEADER = "代表证号,姓名,性别,级别,代表团,专业小组,手机号码,联络站\n"
RUN = "%04d" % (int(time.time()) % 10000)  # fresh codes each run, so a journey can be repeated
ROWS_BAD = [
    f"E2E-{RUN}-1,郭建华,男,县级、市级,米山镇代表团,煤炭,13835611111,米山镇代表联络站",
    f"E2E-{RUN}-2,韩丽娟,女,县级,三甲镇代表团,教育,1383561,",
    f"E2E-{RUN}-3,曹志强,男,乡镇级,神农镇代表团,,13835633333,神农镇代表联络站",
]


def write_gbk(rows):
    f = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
    f.write((HEADER + "\n".join(rows) + "\n").encode("gbk"))
    f.close()
    return f.name


def admin_imports_representatives_from_gbk_csv():
    d = chromium()
    try:
        login(d, "admin")
        go(d, "/admin/import/representatives")
        # a file with one bad row: every problem shown, nothing imported
        d.find_element(By.NAME, "file").send_keys(write_gbk(ROWS_BAD))
        submit(d)
        page = text(d)
        assert "GBK" in page, "encoding detected"
        assert "1383561" in page and "不是有效的11位手机号" in page, "row error shown"
        assert "未导入任何数据" in page
        assert not d.find_elements(By.ID, "confirm-import"), "no confirm button while a row is bad"
        shot(d, "import-bad-row")
        go(d, "/admin/representatives?name=郭建华")
        assert f"E2E-{RUN}-1" not in text(d), "nothing was imported"
        # fixed file: preview, confirm, the rows are in the roll
        go(d, "/admin/import/representatives")
        fixed = [r.replace("1383561,", "13835622222,") for r in ROWS_BAD]
        d.find_element(By.NAME, "file").send_keys(write_gbk(fixed))
        submit(d)
        click_and_wait(d, d.find_element(By.ID, "confirm-import"))
        assert "导入完成:新增3条" in text(d)
        go(d, "/admin/representatives?name=韩丽娟")
        assert f"E2E-{RUN}-2" in text(d)
        shot(d, "import-done")
    finally:
        d.quit()


def representative_sees_profile_on_phone():
    d = phone()
    try:
        login(d, "rep")
        go(d, "/me")
        body = text(d)
        assert "代表信息" in body and "GP-00001" in body, body[:300]
        assert d.execute_script("return document.documentElement.scrollWidth") <= 375, "no sideways scrolling at 375 px"
        shot(d, "rep-profile-375")
    finally:
        d.quit()


def wrong_password_is_refused():
    d = chromium()
    try:
        login(d, "staff", "not-the-password1")
        err = d.find_element(By.ID, "password-error").text
        assert "用户名或密码不正确" in err, err
        assert d.find_element(By.NAME, "username").get_attribute("value") == "staff", "user name kept"
        shot(d, "login-wrong-password")
    finally:
        d.quit()


def citizen_registers_on_phone():
    d = phone()
    try:
        go(d, "/register")
        phone_no = "139%08d" % (int(time.time()) % 100_000_000)
        fill(d, "display_name", "周晓丽")
        fill(d, "phone", "12345")
        fill(d, "password", "abc12345")
        fill(d, "confirm_password", "abc12345")
        submit(d)
        assert "不是有效的11位手机号" in d.find_element(By.ID, "phone-error").text
        shot(d, "register-bad-phone-375")
        fill(d, "phone", phone_no)
        fill(d, "password", "abc12345")
        fill(d, "confirm_password", "abc12345")
        submit(d)
        assert "注册成功" in text(d), text(d)[:400]
        go(d, "/me")
        assert "周晓丽" in text(d) and "群众" in text(d)
        shot(d, "citizen-registered-375")
    finally:
        d.quit()


def admin_creates_account_and_user_must_change_password():
    d = chromium()
    try:
        login(d, "admin")
        go(d, "/admin/accounts/new")
        fill(d, "username", "clerk%d" % (int(time.time()) % 100000))
        fill(d, "display_name", "新来的工作人员")
        d.find_element(By.CSS_SELECTOR, "input[name='roles[]'][value=staff]").click()
        submit(d)
        password = d.find_element(By.CSS_SELECTOR, "#one-time-password strong").text
        username = d.find_element(By.NAME, "username").get_attribute("value")
        shot(d, "account-created")
        logout(d)
        login(d, username, password)
        assert "一次性密码" in text(d), "sent to change the password"
        fill(d, "current_password", password)
        fill(d, "new_password", "staff2026x")
        fill(d, "confirm_password", "staff2026x")
        submit(d)
        assert "密码已修改" in text(d)
    finally:
        d.quit()


def staff_without_admin_role_is_refused_admin_pages():
    d = chromium()
    try:
        login(d, "staff")
        go(d, "/admin/accounts")
        assert "没有权限" in text(d)
        go(d, "/admin/reference/stations")
        assert "代表联络站" in text(d)
    finally:
        d.quit()


import consultation  # noqa: E402
import contact  # noqa: E402
import hardening  # noqa: E402
import instances  # noqa: E402
import meetings  # noqa: E402
import livelihood  # noqa: E402
import performance  # noqa: E402
import suggestions  # noqa: E402
import supervision  # noqa: E402

JOURNEYS = [
    admin_imports_representatives_from_gbk_csv,
    representative_sees_profile_on_phone,
    wrong_password_is_refused,
    citizen_registers_on_phone,
    admin_creates_account_and_user_must_change_password,
    staff_without_admin_role_is_refused_admin_pages,
] + suggestions.JOURNEYS + meetings.JOURNEYS + contact.JOURNEYS + performance.JOURNEYS + livelihood.JOURNEYS + consultation.JOURNEYS + supervision.JOURNEYS + hardening.JOURNEYS + instances.JOURNEYS


def main():
    passed = failed = 0
    for journey in JOURNEYS:
        try:
            journey()
            passed += 1
            print(f"✔ {journey.__name__}")
        except Exception:
            failed += 1
            print(f"✘ {journey.__name__}")
            traceback.print_exc()
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
