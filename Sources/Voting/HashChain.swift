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
        sha256([e.prevHash, String(e.ballotID), String(e.seq), e.choices, e.receiptHash, e.voterID.map(String.init) ?? "-"].joined(separator: "|"))
    }

    /// Ten characters without look-alikes, read off a phone screen.
    public static func newReceipt() -> String {
        String((0..<10).map { _ in Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789").randomElement()! })
    }
}
