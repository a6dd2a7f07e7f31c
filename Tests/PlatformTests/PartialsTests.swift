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
}
