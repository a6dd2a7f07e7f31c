import Fluent
import Foundation
import Platform
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

@Suite("Reference data")
struct ReferenceTests {
    @Test func listFiltersAndKeysetPagesWithoutGapsOrRepeats() async throws {
        try await withApp(demo: true) { app in
            // given
            let delegation = try #require(try await Delegation.query(on: app.db).filter(\.$name == "米山镇代表团").first()?.id)
            let expected = try await Representative.query(on: app.db).filter(\.$delegationID == delegation).count()
            // when
            var seen: [Int] = []
            var cursor: KeysetCursor? = nil
            repeat {
                let page = try await RepresentativeQuery.page(RepresentativeFilter(delegationID: delegation), KeysetRequest(cursor: cursor, size: 7), on: app.db)
                seen += page.items.map(\.id)
                #expect(page.items.allSatisfy { $0.delegation == "米山镇代表团" })
                cursor = page.next
            } while cursor != nil
            // then
            #expect(seen.count == expected)
            #expect(seen == seen.sorted())
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test func levelAndGroupFiltersUseTheJoinTables() async throws {
        try await withApp(demo: true) { app in
            // when
            let national = try await RepresentativeQuery.page(RepresentativeFilter(level: .national), KeysetRequest(size: 200), on: app.db)
            let group = try #require(try await ProfessionalGroup.query(on: app.db).filter(\.$name == "教育").first()?.id)
            let education = try await RepresentativeQuery.page(RepresentativeFilter(groupID: group), KeysetRequest(size: 200), on: app.db)
            // then
            #expect(!national.items.isEmpty)
            #expect(national.items.allSatisfy { $0.levels.contains("全国") })
            #expect(!education.items.isEmpty)
            #expect(education.items.allSatisfy { $0.groups.contains("教育") })
        }
    }

    @Test func filteredListIsServedByAnIndex() async throws {
        try await withApp(demo: true) { app in
            // given
            let sql = app.db as! any SQLDatabase
            // when
            let plan: String
            if sql.dialect.name == "sqlite" {
                plan = try await sql.raw("EXPLAIN QUERY PLAN SELECT id FROM representatives WHERE delegation_id = 3 AND id > 10 ORDER BY id LIMIT 51")
                    .all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
            } else {
                plan = try await app.db.transaction { tx in
                    let s = tx as! any SQLDatabase
                    try await s.raw("SET LOCAL enable_seqscan = off").run()
                    return try await s.raw("EXPLAIN SELECT id FROM representatives WHERE delegation_id = 3 AND id > 10 ORDER BY id LIMIT 51")
                        .all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
                }
            }
            // then
            #expect(plan.contains("representatives_delegation"), "plan: \(plan)")
        }
    }

    @Test func referenceEditorValidatesEveryFieldAndKeepsInput() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            try await web.get("/admin/reference/stations/new")
            let before = try await Station.query(on: app.db).count()
            // when
            let res = try await web.post("/admin/reference/stations/new", [("name", "米山镇代表联络站"), ("kind", "不知道"),
                                                                        ("address", ""), ("area", "米山镇"), ("star_rating", "9")])
            // then
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("名称“米山镇代表联络站”已存在"))
            #expect(html.contains("请从列表中选择类型"))
            #expect(html.contains("请填写地址"))
            #expect(html.contains("星级应为1到5之间的整数"))
            #expect(html.contains("value=\"米山镇\""))
            #expect(try await Station.query(on: app.db).count() == before)
        }
    }

    @Test func unitCannotBecomeItsOwnAncestor() async throws {
        try await withApp(demo: true) { app in
            // given
            let kind = ReferenceCatalog.kind("units")!
            let government = try #require(try await Unit.query(on: app.db).filter(\.$code == "ZF-000").first())
            let education = try #require(try await Unit.query(on: app.db).filter(\.$code == "ZF-002").first())
            // when
            let error = await #expect(throws: RendaError.self) {
                try await ReferenceStore.save(kind, id: government.id, input: ["code": "ZF-000", "name": government.name, "kind": "政府部门",
                                                                               "parent_id": String(education.id!)],
                                              actor: .system, now: testNow, on: app.db)
            }
            // then
            #expect(error?.fields["parent_id"]?.contains("下级单位") == true)
        }
    }

    @Test func staffEditsARepresentativeAndTheChangeIsAudited() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            var web = WebClient(app)
            try await web.login("clerk")
            try await web.get("/admin/representatives/\(rep.id!)")
            // when
            let res = try await web.post("/admin/representatives/\(rep.id!)", [
                ("code", rep.code), ("name", "改名后"), ("gender", rep.gender), ("levels[]", "county"), ("levels[]", "township"),
                ("delegation", String(rep.delegationID!)), ("phone", "13800000000"), ("station", ""),
            ])
            // then
            #expect(res.status == .seeOther)
            let row = try #require(try await RepresentativeQuery.row(rep.id!, on: app.db))
            #expect(row.name == "改名后")
            #expect(row.levels == ["县级", "乡镇级"])
            #expect(row.station == nil)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "representative").first())
            #expect(entry.actorName == "clerk")
            #expect(entry.before?.contains(rep.name) == true)
            #expect(entry.after?.contains("改名后") == true)
        }
    }

    @Test func representativeFormRefusesBadInputAndSavesNothing() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            try await web.get("/admin/representatives/new")
            let before = try await Representative.query(on: app.db).count()
            // when
            let res = try await web.post("/admin/representatives/new", [("code", "GP-00001"), ("name", ""), ("gender", "x"), ("phone", "12")])
            // then
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("请填写姓名"))
            #expect(html.contains("请至少选择一个代表级别"))
            #expect(html.contains("性别应为“男”或“女”"))
            #expect(try await Representative.query(on: app.db).count() == before)
        }
    }

    @Test func representativeSeesOwnProfile() async throws {
        try await withApp(demo: true) { app in
            // given
            var web = WebClient(app)
            try await web.login("rep", DemoCongress.password)
            // when
            let page = try await web.get("/me")
            // then
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            #expect(page.body.string.contains(rep.code))
            #expect(page.body.string.contains("representative-profile"))
        }
    }

    @Test func exportIsExcelFriendlyCsv() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            // when
            let res = try await web.get("/admin/representatives/export.csv?level=national")
            // then
            #expect(res.headers.contentType?.subType == "csv")
            let bytes = Array(res.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(res.body.string.contains("代表证号,姓名"))
            #expect(res.body.string.contains("\r\n"))
        }
    }
}
