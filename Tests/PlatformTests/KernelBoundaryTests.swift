import Foundation
import Testing

/// Issue 12, line 2: domain modules never touch a kernel's tables. They read through the
/// kernel's query functions (`HandlingQuery`, `VotingQuery`, `RecordQuery`), change through its
/// services (`RecordBook.sync` for the records), and
/// compose its SQL fragments — so a kernel can change its tables without breaking a module.
@Suite("Kernel boundaries")
struct KernelBoundaryTests {
    static let domainModules = ["Suggestions", "Contact", "Meetings", "Performance", "Livelihood", "Consultation", "Supervision"]

    static let kernelModels = ["HandlingCase", "HandlingAssignment", "HandlingEvent", "HandlingReply", "HandlingEvaluation", "HandlingContact",
                               "HandlingReturnRequest", "Ballot", "BallotQuestion", "RollEntry", "BoxEntry", "RecordFactRow",
                               "CollectionText", "CollectionSection", "Submission", "CollectionGroup"]

    /// A line that queries, finds or creates a kernel row, or names a kernel table in SQL.
    static func offends(_ line: String) -> Bool {
        let code = line.components(separatedBy: "//").first ?? ""
        for model in kernelModels {
            for use in [".query(", ".find(", "()"] where code.contains(model + use) {
                // `Ballot` is a prefix of `BallotQuestion`; match whole names only.
                if let r = code.range(of: model + use), r.lowerBound == code.startIndex || !(code[code.index(before: r.lowerBound)].isLetter) { return true }
            }
        }
        return code.contains(/\b(handling|voting|collection)_[a-z]/) || code.contains(/\brecord_(facts|tallies|totals)\b/)
    }

    static func offences() throws -> [String] {
        let root = HardCodedPathTests.root
        var found: [String] = []
        for module in domainModules {
            for file in HardCodedPathTests.files(under: "Sources/" + module, ending: ".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.components(separatedBy: "\n").enumerated() where offends(line) {
                    found.append("\(file):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    @Test func noDomainModuleTouchesAKernelTable() throws {
        // given the domain modules' sources, when scanned, then no line reaches into a kernel
        let found = try Self.offences()
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        #expect(HardCodedPathTests.files(under: "Sources/Contact", ending: ".swift").count > 10, "the scan reads the sources")
    }

    @Test func theScanCatchesEachWayOfReachingIn() {
        // given lines that reach into a kernel in each way the rule names, then each is caught
        for line in ["let c = try await HandlingCase.query(on: db).all()", "HandlingReturnRequest.find(id, on: tx)", "guard let b = try await Ballot.find(id, on: db)",
                     "let r = RollEntry()", #"sql.raw("SELECT 1 FROM handling_cases")"#, #"JOIN voting_box v ON"#,
                     "RecordFactRow.query(on: db).all()", #"sql.raw("SELECT kind FROM record_totals")"#] {
            #expect(Self.offends(line), "\(line)")
        }
        // and what a module may do passes: name a kernel type, ask the kernel's queries, comment
        for line in ["func sync(_ s: Suggestion, _ c: HandlingCase, on tx: Database)", "try await VotingQuery.ballot(id, on: db)",
                     "// HandlingCase.query(on: db) is the kernel's", "let ballots: [Ballot] = []", #"Setting("suggestions.rehandling_days")"#, #"audit("record_reception", "reception", id)"#] {
            #expect(!Self.offends(line), "\(line)")
        }
    }
}
