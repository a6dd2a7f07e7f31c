import Platform
import Vapor

/// `renda verify-ballots <ballot> [--seal <published seal>]`: recomputes the chain, the tally
/// and the seal from storage and compares them with what was recorded and published.
public struct VerifyBallotsCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "ballot", help: "the ballot's id")
        var ballot: Int
        @Option(name: "seal", help: "the seal as published on the result page, to compare with")
        var seal: String?
        public init() {}
    }
    public init() {}
    public var help: String { "Recomputes a ballot's hash chain, tally and seal from storage and reports any mismatch" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let problems = try await Tally.verify(signature.ballot, expectedSeal: signature.seal, on: context.application.db)
        if problems.isEmpty {
            context.console.print("表决 \(signature.ballot):票箱哈希链完整,重新计票与公布结果、封存值一致。")
        } else {
            for p in problems { context.console.error(p) }
            throw RendaError(.internalServerError, code: "verification_failed", message: "表决 \(signature.ballot) 校验发现\(problems.count)处不一致。")
        }
    }
}
