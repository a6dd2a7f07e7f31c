import Vapor
import Foundation
import Platform

/// The tamper-evident ballot box: each entry commits to the one before it, so changing,
/// removing or reordering a stored paper breaks every hash after it.
public enum HashChain {
    public static func sha256(_ text: String) -> String {
        Hex.sha256(text)
    }

    public static func genesis(ballot: Int) -> String { sha256("renda-ballot:\(ballot)") }

    public static func link(_ e: BoxEntry) -> String {
        var parts = [e.prevHash, String(e.ballotID), String(e.seq), e.choices, e.receiptHash, e.voterID.map(String.init) ?? "-"]
        if let c = e.commitment { parts.append(c) }  // papers from before commitments had none
        return sha256(parts.joined(separator: "|"))
    }

    /// The lookup key of a receipt: finds the paper, says nothing about it.
    public static func receiptKey(_ code: String) -> String { sha256(code) }

    /// Binds the receipt code to the paper's choices. Checked by the voter on the receipt page;
    /// a changed choice no longer matches, and only the code's holder could make it match.
    public static func commitment(code: String, ballot: Int, choices: String) -> String {
        sha256("commit|\(ballot)|\(choices)|\(code)")
    }

    /// The seal published at close: the box's head and every question's counts.
    public static func seal(ballot: Int, head: String, results: [QuestionResult]) -> String {
        let counts = results.sorted { $0.questionID < $1.questionID }
            .map { "\($0.questionID):\($0.yes):\($0.no):\($0.abstain):\($0.notVoted)" }.joined(separator: ",")
        return sha256("seal|\(ballot)|\(head)|\(counts)")
    }

    /// Sixteen characters without look-alikes (31^16 ≈ 2^79: too many to try against a stored
    /// receipt key, so nobody but the holder can make a forged paper's commitment match),
    /// shown in groups of four. Ballots closed before kept ten.
    public static let receiptLength = 16

    public static func newReceipt() -> String {
        let chars = (0..<receiptLength).map { _ in Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789").randomElement()! }
        return stride(from: 0, to: receiptLength, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed: letters and digits only, upper case.
    public static func normalised(_ code: String) -> String { code.uppercased().filter { $0.isLetter || $0.isNumber } }
}
