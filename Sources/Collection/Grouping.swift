import Foundation

/// Groups responses on this machine, in Chinese, with no outside service, and the same way every
/// time for the same responses.
///
/// Texts are compared by their character pairs (bigrams) after dropping spaces, punctuation and
/// case, so word boundaries (which Chinese does not write) do not matter. Two texts sharing at
/// least `similar` of their pairs (Jaccard) are the same opinion; at `nearlyIdentical` they are
/// copies (a campaign, a copy-paste) and collapse into one variant with a count. Each section is
/// grouped on its own; responses are taken in id order, each joining the most similar group
/// leader found so far or leading a new group — so the result depends only on the responses.
public enum Grouping {
    public struct Item: Sendable {
        public let id: Int; public let section: String?; public let text: String
        public init(id: Int, section: String?, text: String) { self.id = id; self.section = section; self.text = text }
    }

    /// Copies of one wording: the first response and how many there are.
    public struct Variant: Sendable, Equatable {
        public let id: Int; public var count: Int
        public init(id: Int, count: Int) { self.id = id; self.count = count }
    }

    public struct Group: Sendable, Equatable {
        public let section: String?
        /// The first response of the group: it stands for the group.
        public let representative: Int
        public let label: String
        public var members: [Int]
        public var variants: [Variant]
        /// Each member that copies an earlier wording → that wording's first response.
        public var copyOf: [Int: Int] = [:]
        public var size: Int { members.count }
    }

    public static let similar = 0.3, nearlyIdentical = 0.8
    /// A pair found in this many group leaders already says little ("建议" …): it is no longer
    /// used to look for candidates (the score still counts every pair of the leaders compared).
    static let commonPair = 400

    public static func group(_ items: [Item], similar: Double = similar, nearlyIdentical: Double = nearlyIdentical) -> [Group] {
        let sorted = items.sorted { ($0.section ?? "", $0.id) < ($1.section ?? "", $1.id) }
        var out: [Group] = []
        var start = 0
        while start < sorted.count {
            var end = start
            while end < sorted.count, sorted[end].section == sorted[start].section { end += 1 }
            out += groupSection(sorted[start..<end], similar: similar, nearlyIdentical: nearlyIdentical)
            start = end
        }
        return out
    }

    private static func groupSection(_ items: ArraySlice<Item>, similar: Double, nearlyIdentical: Double) -> [Group] {
        var groups: [Group] = []
        var leaderPairs: [[UInt64]] = []          // per group: its leader's pairs, sorted
        var variantPairs: [[[UInt64]]] = []       // per group, per variant: its pairs
        var index: [UInt64: [Int32]] = [:]        // pair → groups whose leader has it
        var exact: [String: Int] = [:]            // normalised text → group
        var overlap = [Int32](), touched = [Int32]()
        for item in items {
            let norm = normalised(item.text)
            if let g = exact[norm] {
                // The very same words: the variant that has them, or the leader's.
                groups[g].members.append(item.id)
                let pairs = bigrams(norm)
                let v = variantPairs[g].firstIndex(of: pairs) ?? 0
                groups[g].variants[v].count += 1
                groups[g].copyOf[item.id] = groups[g].variants[v].id
                continue
            }
            let pairs = bigrams(norm)
            // Overlap with every leader sharing a pair, counted in one pass over the index.
            if overlap.count < groups.count { overlap += [Int32](repeating: 0, count: groups.count - overlap.count) }
            for p in pairs { for g in index[p] ?? [] { if overlap[Int(g)] == 0 { touched.append(g) }; overlap[Int(g)] += 1 } }
            var best = -1, bestScore = 0.0
            for g in touched {
                let shared = Double(overlap[Int(g)])
                let score = shared / (Double(pairs.count + leaderPairs[Int(g)].count) - shared)
                if score > bestScore || (score == bestScore && Int(g) < best) { best = Int(g); bestScore = score }
                overlap[Int(g)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            if best >= 0, bestScore >= similar {
                groups[best].members.append(item.id)
                exact[norm] = best
                // A copy of one of the group's wordings counts there; otherwise it is a new wording.
                if let v = variantPairs[best].firstIndex(where: { jaccard($0, pairs) >= nearlyIdentical }) {
                    groups[best].variants[v].count += 1
                    groups[best].copyOf[item.id] = groups[best].variants[v].id
                } else {
                    groups[best].variants.append(Variant(id: item.id, count: 1))
                    variantPairs[best].append(pairs)
                }
                continue
            }
            let g = groups.count
            groups.append(Group(section: item.section, representative: item.id, label: label(item.text), members: [item.id],
                                variants: [Variant(id: item.id, count: 1)]))
            leaderPairs.append(pairs)
            variantPairs.append([pairs])
            exact[norm] = g
            for p in pairs where (index[p]?.count ?? 0) < commonPair { index[p, default: []].append(Int32(g)) }
        }
        return groups
    }

    /// Lower case, full-width letters and digits as ASCII, no spaces, punctuation or symbols.
    static func normalised(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value >= 0xFF01 && s.value <= 0xFF5E ? Unicode.Scalar(s.value - 0xFEE0)! : s
            if v.properties.isWhitespace || v.properties.generalCategory.isPunctuationOrSymbol { continue }
            for l in v.properties.lowercaseMapping.unicodeScalars { out.append(l) }
        }
        return String(out)
    }

    /// The text's character pairs, each once, sorted (a one-character text is its own pair).
    static func bigrams(_ normalised: String) -> [UInt64] {
        let s = normalised.unicodeScalars.map { UInt64($0.value) }
        if s.count == 1 { return [s[0] << 21] }
        var pairs = Set<UInt64>()
        for i in 0..<max(0, s.count - 1) { pairs.insert(s[i] << 21 | s[i + 1]) }
        return pairs.sorted()
    }

    /// Shared pairs over all pairs of the two.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        var i = 0, j = 0, shared = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(shared) / Double(a.count + b.count - shared)
    }

    /// The group's label: its first response's opening clause, at most 24 characters.
    static func label(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let clause = trimmed.prefix { !"。;;!!??\n".contains($0) }
        let cut = clause.isEmpty ? trimmed.prefix(24) : clause.prefix(24)
        return cut.count < clause.count ? cut + "…" : String(cut)
    }
}

extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
             .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .control, .format:
            true
        default: false
        }
    }
}
