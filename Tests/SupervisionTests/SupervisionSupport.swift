import Fluent
import Foundation
import Platform
import RendaTesting
import Supervision
import Testing
import Vapor

/// A refusal's HTTP status, whether the module's own or a kernel's.
func status(_ error: (any Error)?) -> HTTPResponseStatus? {
    (error as? RendaError)?.status ?? (error as? any RendaErrorConvertible)?.rendaError.status
}
