import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Accounts for each party, on the platform demo congress (representatives and units).
struct Parties {
    let app: Application
    let repA: Representative
    let repB: Representative
    let repC: Representative
    let education: Platform.Unit
    let housing: Platform.Unit

    static func make(_ app: Application) async throws -> Parties {
        let reps = try await Representative.query(on: app.db).sort(\.$id).limit(3).all()
        let education = try #require(try await Platform.Unit.query(on: app.db).filter(\.$name == "市教育局").first())
        let housing = try #require(try await Platform.Unit.query(on: app.db).filter(\.$name == "市住房和城乡建设局").first())
        try await makeAccount(app, "repA", roles: [.representative], representativeID: reps[0].id)
        try await makeAccount(app, "repB", roles: [.representative], representativeID: reps[1].id)
        try await makeAccount(app, "repC", roles: [.representative], representativeID: reps[2].id)
        try await makeAccount(app, "clerk", roles: [.staff])
        try await makeAccount(app, "edu", roles: [.unitStaff], unitID: education.id)
        try await makeAccount(app, "housing", roles: [.unitStaff], unitID: housing.id)
        try await makeAccount(app, "resident", roles: [.citizen])
        try await makeAccount(app, "committee", roles: [.committeeMember])
        try await makeAccount(app, "root", roles: [.admin])
        return Parties(app: app, repA: reps[0], repB: reps[1], repC: reps[2], education: education, housing: housing)
    }

    func web(_ user: String) async throws -> WebClient {
        var w = WebClient(app)
        try await w.login(user)
        return w
    }

    func api(_ user: String) async throws -> ApiClient { try await ApiClient.login(app, user) }

    func account(_ user: String) async throws -> Account {
        try #require(try await Account.query(on: app.db).filter(\.$username == user).first())
    }

    func service(_ user: String, day: Int = 0) async throws -> SuggestionService {
        SuggestionService(db: app.db, now: testNow.adding(days: day), account: try await account(user))
    }

    static let content = "米山镇中心小学取暖设施老化,冬季教室温度不足十度,影响学生上课。建议更换锅炉并改造管网。"

    /// A suggestion by repA (co-signed by repB), accepted and assigned to 市教育局 with 市住建局 as co-unit.
    func assignedSuggestion() async throws -> Int {
        let s = try await service("repA").saveDraft(SuggestionInput(title: "关于改善米山镇中小学取暖条件的建议", content: Self.content,
                                                                   category: "教育科技", period: "interim", coSigners: repB.code), id: nil)
        let id = try s.requireID()
        try await service("repA").submit(id)
        try await service("repB").cosign(id, confirm: true)
        try await service("clerk", day: 1).review(id, .accept)
        try await service("clerk", day: 2).assign(id, lead: education.id!, coUnits: [housing.id!], months: 3)
        return id
    }
}

extension TestingHTTPResponse {
    var html: String { body.string }
}
