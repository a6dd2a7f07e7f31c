import Foundation
import Testing
import Vapor
import RendaTesting

/// The Leaf partials (`Resources/Views/partials`) render what the pages wrote out before.
@Suite("Leaf partials")
struct PartialsTests {
    @Test func thePageLinksComeFromThePartialWithThePagesContext() async throws {
        try await withApp(demo: true) { app in
            // given the demo roll, longer than one page of 50
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // when
            let first = try await staff.get("/admin/representatives").body.string
            // then the first page has only 下一页, a link to the roll with the page's own cursor
            let link = try #require(first.firstMatch(of: #/<nav class="pages" aria-label="分页"><a class="button" rel="next" href="(/admin/representatives\?after=(\d+))">下一页</a></nav>/#))
            let second = try await staff.get(String(link.output.1)).body.string
            #expect(second.contains("<tbody>"))
            // and the second page has 上一页 back to just before its first row
            let back = try #require(second.firstMatch(of: #/<a class="button" rel="prev" href="/admin/representatives\?before=(\d+)">上一页</a>/#))
            #expect(Int(back.output.1)! > Int(link.output.2)!)
            #expect(!first.contains("#extend") && !first.contains("partials/"))
        }
    }

    @Test func withoutANeighbouringPageThereIsNoLink() async throws {
        try await withApp(demo: true) { app in
            var admin = WebClient(app)
            try await admin.login("admin", "renda-demo")
            let page = try await admin.get("/admin/accounts").body.string
            #expect(page.contains("<tbody>"))
            #expect(!page.contains("下一页") && !page.contains("上一页") && !page.contains(#"class="pages""#))
        }
    }

    @Test func theSelectPartialKeepsTheChoiceAndShowsTheErrorNextToTheField() async throws {
        try await withApp(demo: true) { app in
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // given an empty form
            let empty = try await staff.get("/admin/representatives/new").body.string
            #expect(empty.contains(#"<select id="gender" name="gender"><option value="">请选择</option><option value="男">男</option>"#))
            // when a submit leaves out the gender and another field keeps a value
            let failed = try await staff.post("/admin/representatives/new", [("code", "X-1"), ("name", "测试"), ("gender", "")]).body.string
            // then the message sits next to the field and is tied to it
            #expect(failed.contains(#"aria-invalid="true" aria-describedby="gender-error">"#))
            #expect(failed.contains(#"<p class="field-error" id="gender-error">请选择性别。</p>"#))
            // and a valid choice stays selected after another field fails
            let kept = try await staff.post("/admin/representatives/new", [("code", ""), ("name", "测试"), ("gender", "女")]).body.string
            #expect(kept.contains(#"<option value="女" selected>女</option>"#))
            #expect(!kept.contains("gender-error"))
        }
    }

    @Test func aMessageWithoutAStationShowsTheRuleNextToTheStationChoice() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            var anonymous = WebClient(app)
            let form = try await anonymous.get("/public/messages/new").body.string
            #expect(form.contains(#"<select id="station" name="station"><option value="">请选择</option>"#))
            let failed = try await anonymous.post("/public/messages/new", [("category", "其他"), ("content", "路灯坏了")]).body.string
            #expect(failed.contains(#"aria-describedby="station-error""#))
            #expect(failed.contains(#"<p class="field-error" id="station-error">"#))
        }
    }

    @Test func theFieldPartialWritesTheTypedValueBackWithTheErrorTiedToIt() async throws {
        try await withApp(demo: true) { app in
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // when a new representative is submitted without a 代表证号 but with a name and phone
            let failed = try await staff.post("/admin/representatives/new", [("code", ""), ("name", "测试"), ("gender", "女"), ("phone", "13800000000")]).body.string
            // then the typed values come back in their inputs
            #expect(failed.contains(#"<input id="name" name="name" required value="测试">"#))
            #expect(failed.contains(#"<input id="phone" name="phone" type="tel" value="13800000000">"#))
            // and the empty field is marked and tied to the message next to it
            #expect(failed.contains(#"<input id="code" name="code" required value="" aria-invalid="true" aria-describedby="code-error">"#))
            #expect(failed.contains(#"<p class="field-error" id="code-error">"#))
            #expect(!failed.contains("#extend") && !failed.contains("partials/"))
        }
    }

    @Test func aPasswordIsNeverWrittenBackAndAKeptErrorIdStays() async throws {
        try await withApp { app in
            var anonymous = WebClient(app)
            // when a registration fails on the phone number and the password confirmation
            let failed = try await anonymous.post("/register", [("display_name", "张三"), ("phone", "123"),
                                                                  ("password", "abcd1234"), ("confirm_password", "abcd12345")]).body.string
            // then the name stays, the phone error is tied to the phone
            #expect(failed.contains(#"<input id="display_name" name="display_name" required maxlength="20" value="张三">"#))
            #expect(failed.contains(#"value="123" aria-invalid="true" aria-describedby="phone-error">"#))
            // and neither password comes back, while the confirmation keeps its old error id
            #expect(!failed.contains("abcd1234"))
            #expect(failed.contains(#"<input id="password" name="password" type="password" autocomplete="new-password" required"#))
            #expect(failed.contains(#"aria-describedby="confirm-error">"#) && failed.contains(#"<p class="field-error" id="confirm-error">"#))
        }
    }

    @Test func theTableHeadPartialGivesEveryColumnHeaderAScope() async throws {
        try await withApp(demo: true) { app in
            var admin = WebClient(app)
            try await admin.login("admin", "renda-demo")
            // when
            let page = try await admin.get("/admin/accounts").body.string
            // then
            #expect(page.contains(#"<thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">状态</th></tr></thead>"#))
            #expect(!page.contains("<th>"))
        }
    }
}

/// Issue 12, line 6: the repeated pieces come from their partials — table headings from
/// `partials/thead` (each `th scope="col"`), the empty 请选择 choice from `partials/select` or
/// a kernel form; what is still written by hand is named here and may only shrink.
@Suite("Partials carry the repeated pieces")
struct PartialsUseTests {
    /// Headings built in a loop over columns the page computes (reference tables, an import's file).
    static let loopHeadings: Set<String> = ["Resources/Views/platform/reference-list.leaf", "Resources/Views/platform/import.leaf"]
    /// Selects still written out: the reception form's rows (copied by script), the assignment form.
    static let handSelects: Set<String> = ["Resources/Views/contact/reception.leaf", "Resources/Views/suggestions/detail.leaf"]

    @Test func tableHeadingsAndEmptyChoicesComeFromPartials() throws {
        // given every template
        let templates = HardCodedPathTests.files(under: "Resources/Views", ending: ".leaf").filter { !$0.contains("/partials/") }
        #expect(templates.count > 30, "the scan reads the templates")
        var headings: Set<String> = [], selects: Set<String> = []
        for t in templates {
            let text = try String(contentsOf: HardCodedPathTests.root.appendingPathComponent(t), encoding: .utf8)
            if text.contains("<th") { headings.insert(t) }
            if text.contains("请选择</option>") { selects.insert(t) }
        }
        // then only the named ones write a heading cell or the empty choice themselves
        #expect(headings == Self.loopHeadings)
        #expect(selects.isSubset(of: Self.handSelects), "\(selects.subtracting(Self.handSelects))")
    }
}
