/// Chinese has no spaces, and most queries are two-character words (教育, 社区) that
/// trigram indexes miss. Index overlapping character bigrams instead (as Lucene's CJK
/// analyzer does): 教育局 → 教育 育局. Latin letters and digits stay whole words.
public enum Bigrams {
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var run: [Character] = []
        var word = ""
        func flushRun() {
            if run.count == 1 { out.append(String(run[0])) }
            else if run.count > 1 { for i in 0..<(run.count - 1) { out.append(String(run[i]) + String(run[i + 1])) } }
            run.removeAll()
        }
        func flushWord() {
            if !word.isEmpty { out.append(word.lowercased()); word = "" }
        }
        for ch in text {
            if isCJK(ch) { flushWord(); run.append(ch) }
            else if ch.isLetter || ch.isNumber { flushRun(); word.append(ch) }
            else { flushRun(); flushWord() }
        }
        flushRun(); flushWord()
        return out
    }

    static func isCJK(_ ch: Character) -> Bool {
        guard let s = ch.unicodeScalars.first else { return false }
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}
