import Fluent
import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

@Suite("CSV import")
struct ImportTests {
    static let header = "代表证号,姓名,性别,级别,代表团,专业小组,手机号码,联络站\n"
    static let good = header + """
        GP-90001,王建国,男,县级、市级,米山镇代表团,煤炭,13835600001,米山镇代表联络站
        GP-90002,李秀英,女,县级,三甲镇代表团,,13835600002,
        GP-90003,"张,伟",男,乡镇级,米山镇代表团,教育;卫生,,三甲镇代表联络站
        """
    static let oneBad = header + """
        GP-90001,王建国,男,县级、市级,米山镇代表团,煤炭,13835600001,米山镇代表联络站
        GP-90002,李秀英,女,县级,三甲镇代表团,,1383560,
        GP-90003,"张,伟",男,乡镇级,米山镇代表团,教育;卫生,,三甲镇代表联络站
        """

    @Test func csvReaderHandlesQuotesCommasAndLineBreaks() {
        // given
        let text = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z\n"
        // when
        let table = CSVTable(parsing: text)
        // then
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.map(\.fields) == [["1", "x,y", "say \"hi\""], ["2", "two\nlines", "z"]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func gbkAndUtf8WithBomAreBothRead() throws {
        // given
        let gbk = try #require(TextDecoding.gbk("代表证号,姓名\nGP-1,王建国\n"))
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("代表证号,姓名\n".utf8)
        // when
        let a = try #require(TextDecoding.decode(gbk))
        let b = try #require(TextDecoding.decode(bom))
        // then
        #expect(a.encoding == .gbk)
        #expect(a.text.contains("王建国"))
        #expect(b.encoding == .utf8)
        #expect(b.text.hasPrefix("代表证号"))
    }

    @Test func oneBadRowShowsItsErrorAndImportsNothing() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            let before = try await Representative.query(on: app.db).count()
            // when
            let res = try await web.upload("/admin/import/representatives/preview", file: TextDecoding.gbk(Self.oneBad)!)
            // then
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("GBK"))
            #expect(html.contains("手机号码:手机号码“1383560”不是有效的11位手机号"))
            #expect(html.contains("未导入任何数据"))
            #expect(!html.contains("确认导入"))
            #expect(try await Representative.query(on: app.db).count() == before)
        }
    }

    @Test func validFileIsPreviewedThenImportedOnConfirm() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            let before = try await Representative.query(on: app.db).count()
            // when
            let preview = try await web.upload("/admin/import/representatives/preview", file: Data(Self.good.utf8))
            let batch = try #require(preview.body.string.firstMatch(of: /import\/representatives\/(\d+)\/confirm/)?.1)
            #expect(try await Representative.query(on: app.db).count() == before, "preview writes nothing")
            let done = try await web.post("/admin/import/representatives/\(batch)/confirm")
            // then
            #expect(done.status == .seeOther)
            #expect(try await Representative.query(on: app.db).count() == before + 3)
            let page = try await RepresentativeQuery.page(RepresentativeFilter(name: "张,伟"), on: app.db)
            #expect(page.items.first?.groups == ["卫生", "教育"])
            #expect(page.items.first?.levels == ["乡镇级"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "import").count() == 1)
            let again = try await web.post("/admin/import/representatives/\(batch)/confirm")
            #expect(again.status == .conflict, "a batch is applied once")
        }
    }

    @Test func reimportUpdatesInsteadOfDuplicating() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let api = try await ApiClient.login(app, "clerk")
            struct Preview: Decodable { let batchID: Int?; let isValid: Bool }
            let first = try await api.send(.POST, "/api/v1/imports/representatives", raw: Data(Self.good.utf8)).decode(Preview.self)
            try await api.send(.POST, "/api/v1/imports/representatives/\(first.batchID!)/confirm")
            let count = try await Representative.query(on: app.db).count()
            // when
            let changed = Self.good.replacingOccurrences(of: "李秀英", with: "李秀兰")
            let second = try await api.send(.POST, "/api/v1/imports/representatives", raw: Data(changed.utf8)).decode(Preview.self)
            let result = try await api.send(.POST, "/api/v1/imports/representatives/\(second.batchID!)/confirm")
            // then
            #expect(result.body.string.contains("\"updated\":1"))
            #expect(result.body.string.contains("\"unchanged\":2"))
            #expect(try await Representative.query(on: app.db).count() == count)
            #expect(try await Representative.query(on: app.db).filter(\.$code == "GP-90002").first()?.name == "李秀兰")
        }
    }

    @Test func duplicateCodesAndUnknownReferencesAreRowErrors() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let api = try await ApiClient.login(app, "clerk")
            let csv = Self.header + "GP-1,甲,男,县级,不存在代表团,,,\nGP-1,乙,男,副省级,,,,\n"
            // when
            let res = try await api.send(.POST, "/api/v1/imports/representatives", raw: Data(csv.utf8))
            // then
            struct Row: Decodable { let errors: [String] }
            struct Preview: Decodable { let rows: [Row]; let isValid: Bool; let batchID: Int? }
            let p = try res.decode(Preview.self)
            #expect(!p.isValid && p.batchID == nil)
            #expect(p.rows[0].errors.contains { $0.contains("代表团“不存在代表团”不存在") })
            #expect(p.rows[1].errors.contains { $0.contains("与第2行重复") })
            #expect(p.rows[1].errors.contains { $0.contains("级别“副省级”无法识别") })
        }
    }

    @Test func missingColumnIsAFileError() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let api = try await ApiClient.login(app, "clerk")
            // when
            let res = try await api.send(.POST, "/api/v1/imports/representatives", raw: Data("姓名,性别\n王,男\n".utf8))
            // then
            #expect(res.body.string.contains("缺少“代表证号”列"))
        }
    }

    @Test func unitsImportWithParentDefinedLaterInTheSameFile() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let api = try await ApiClient.login(app, "clerk")
            let csv = "单位编码,单位名称,类别,上级单位编码\nX-2,市教育局基础教育科,政府部门,X-1\nX-1,市教育局机关,政府部门,ZF-000\n"
            struct Preview: Decodable { let batchID: Int? }
            // when
            let preview = try await api.send(.POST, "/api/v1/imports/units", raw: Data(csv.utf8)).decode(Preview.self)
            let res = try await api.send(.POST, "/api/v1/imports/units/\(try #require(preview.batchID))/confirm")
            // then
            #expect(res.status == .ok)
            let child = try #require(try await Unit.query(on: app.db).filter(\.$code == "X-2").first())
            let parent = try #require(try await Unit.query(on: app.db).filter(\.$code == "X-1").first())
            #expect(child.parentID == parent.id)
        }
    }
}
