import Fluent
import Foundation
import Platform
import Testing
import RendaTesting
import Vapor

@Suite("Demo congress")
struct DemoTests {
    @Test func demoHasTheShapeOfACountyCongress() async throws {
        try await withApp(demo: true) { app in
            // then
            #expect(try await Representative.query(on: app.db).count() == 370)
            #expect(try await Delegation.query(on: app.db).count() == 16)
            #expect(try await ProfessionalGroup.query(on: app.db).all().map(\.name).sorted() == ["卫生", "妇女", "教育", "煤炭"])
            #expect(try await Station.query(on: app.db).count() == 20)
            #expect(try await Unit.query(on: app.db).count() == 34)
            #expect(try await WorkingCommittee.query(on: app.db).count() == 10)
            let usernames = try await Account.query(on: app.db).all().map(\.username).sorted()
            #expect(usernames == ["admin", "citizen", "member", "rep", "staff", "unit"])
            for level in [Level.national, .provincial, .prefecture, .county] {
                #expect(!(try await RepresentativeQuery.page(RepresentativeFilter(level: level), KeysetRequest(size: 1), on: app.db).items.isEmpty))
            }
        }
    }

    @Test func generatorIsDeterministic() {
        // given
        var a = RepresentativeGenerator(seed: 2022)
        var b = RepresentativeGenerator(seed: 2022)
        // when
        let x = a.make(count: 50), y = b.make(count: 50)
        // then
        #expect(x.map(\.name) == y.map(\.name))
        #expect(x.map(\.phone) == y.map(\.phone))
    }

    @Test func everyDemoLoginWorks() async throws {
        try await withApp(demo: true) { app in
            for (username, _) in DemoCongress.logins {
                var web = WebClient(app)
                try await web.login(username, DemoCongress.password)
            }
        }
    }

    @Test func loadingTwiceDoesNotDuplicate() async throws {
        try await withApp(demo: true) { app in
            // when
            try await DemoCongressLoaderAgain.load(app)
            // then
            #expect(try await Representative.query(on: app.db).count() == 370)
        }
    }
}

import RendaApp
enum DemoCongressLoaderAgain {
    static func load(_ app: Application) async throws { try await DemoLoader.load(app) }
}
