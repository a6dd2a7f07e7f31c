import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, promise 3: the contact figures export. Every number in a row differs from the
/// others in that row (and the rows from each other), so a swapped column or row fails.
@Suite("Promise: the contact figures CSV")
struct FiguresCSVPromiseTests {
    static func matters(_ outcome: String, _ n: Int, unit: Int? = nil) -> [MatterInput] {
        (1...max(n, 1)).prefix(n).map { i in
            MatterInput(citizenName: "柳青云", citizenPhone: "13612345678", category: "其他", content: "第\(i)条:\(outcome),请柳青云13612345678回电",
                        outcome: outcome, note: outcome == "transferred" || outcome == "not_accepted" || outcome == "suggestion" ? nil : "已处理",
                        unitID: unit, reason: outcome == "not_accepted" ? "已进入诉讼程序" : nil)
        }
    }

    /// Parses the CSV body: BOM stripped, CRLF rows, no quoted fields expected here.
    static func rows(_ body: String) -> [[String]] {
        var text = body
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    @Test func theExportHasTheHeaderAndEachStationsOwnNumbers() async throws {
        try await withApp(demo: true) { app in
            // given two stations, four representatives at A and two at B, each B representative with an account
            let stations = try await Station.query(on: app.db).sort(\.$id).all()
            var picked: [(Station, [Representative])] = []
            for s in stations where picked.count < 2 {
                let reps = try await Representative.query(on: app.db).filter(\.$stationID == s.id!).sort(\.$id).limit(4).all()
                if reps.count == 4 { picked.append((s, reps)) }
            }
            try #require(picked.count == 2)
            let (a, aReps) = picked[0], (b, bReps) = (picked[1].0, Array(picked[1].1.prefix(2)))
            for (n, r) in bReps.enumerated() { try await makeAccount(app, "brep\(n)", roles: [.representative], representativeID: r.id) }
            let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            let staff = try await ApiClient.login(app, "staff", "renda-demo")
            func record(_ station: Station, _ date: String, _ people: Int, _ reps: [Representative], _ matters: [MatterInput]) async throws {
                let res = try await staff.send(.POST, "/api/v1/contact/receptions", json: ReceptionInput(
                    stationID: station.id, date: date, people: String(people), representatives: reps.map { $0.id! }, matters: matters))
                #expect(res.status == .ok, "\(station.name) \(date): \(res.body.string)")
            }
            // A: 2 receptions, 41 people, 4 representatives, 16 matters: 5 实事, 7 当场, 1 转办 (answered on time), 3 不予受理
            try await record(a, "2026-03-02", 30, Array(aReps[0...2]), Self.matters("practical", 5) + Self.matters("on_spot", 3))
            try await record(a, "2026-03-09", 11, Array(aReps[2...3]),
                             Self.matters("on_spot", 4) + Self.matters("transferred", 1, unit: unit) + Self.matters("not_accepted", 3))
            // B: 1 reception, 9 people, 2 representatives, 6 matters: 3 实事, 2 转为建议, 1 不予受理
            try await record(b, "2026-03-10", 9, bReps, Self.matters("practical", 3) + Self.matters("suggestion", 2) + Self.matters("not_accepted", 1))
            // and a reception of last year at A, which the 2026 export must not count
            try await record(a, "2025-12-30", 100, [aReps[0]], Self.matters("practical", 2))
            let transfer = try #require(try await Matter.query(on: app.db).filter(\.$outcome == .transferred).first()?.id)
            let unitAPI = try await ApiClient.login(app, "unit", "renda-demo")
            let replied = try await unitAPI.send(.POST, "/api/v1/contact/matters/\(transfer)/reply",
                                                 json: ["replyClass": "A", "text": "已安排人员上门处理,问题已解决。"])
            #expect(replied.status == .ok, "\(replied.body.string)")

            // when staff export 2026
            var web = WebClient(app)
            try await web.login("staff", "renda-demo")
            let res = try await web.get("/contact/figures?year=2026&format=csv")
            // then it is a UTF-8 CSV file with a BOM, named for the year
            #expect(res.status == .ok)
            #expect(res.headers.contentType?.subType == "csv" && res.headers.contentType?.parameters["charset"] == "utf-8")
            #expect(res.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''" + ("联系群众统计-2026.csv".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) == true)
            #expect(res.body.string.hasPrefix("\u{FEFF}联络站,") && res.body.string.hasSuffix("\r\n"))
            // with the header, one row per station that received people, and the total
            let rows = Self.rows(res.body.string)
            #expect(rows.first == ["联络站", "进站代表", "接待次数", "接待群众人次", "提出意见", "办理实事", "当场解答", "转办", "按期答复率", "转为建议", "不予受理"])
            #expect(rows.dropFirst().map { $0.first ?? "" } == [a.name, b.name, "合计"])
            #expect(rows.count == 4 ? rows[1] == [a.name, "4", "2", "41", "16", "5", "7", "1", "100.0%", "0", "3"] : false, "\(rows)")
            #expect(rows.count == 4 ? rows[2] == [b.name, "2", "1", "9", "6", "3", "0", "0", "—", "2", "1"] : false, "\(rows)")
            #expect(rows.count == 4 ? rows[3] == ["合计", "6", "3", "50", "22", "8", "7", "1", "100.0%", "2", "4"] : false, "\(rows)")
            // no citizen's name or phone is in it
            #expect(!res.body.string.contains("柳青云") && !res.body.string.contains("13612345678"))
            // last year's export has only last year's reception
            let last = Self.rows(try await web.get("/contact/figures?year=2025&format=csv").body.string)
            #expect(last.dropFirst().map { $0.first ?? "" } == [a.name, "合计"])
            #expect(last.last == ["合计", "1", "1", "100", "2", "2", "0", "0", "—", "0", "0"])
            // and a representative downloads the same numbers; a unit may not download them
            var rep = WebClient(app)
            try await rep.login("rep", "renda-demo")
            let repCSV = try await rep.get("/contact/figures?year=2026&format=csv")
            #expect(repCSV.status == .ok && repCSV.body.string == res.body.string)
            var unitWeb = WebClient(app)
            try await unitWeb.login("unit", "renda-demo")
            #expect(try await unitWeb.get("/contact/figures?year=2026&format=csv").status == .forbidden)
        }
    }
}
