import Foundation

/// Collects field errors (Chinese messages keyed by field name) so a form can show each one
/// next to its field, and throws them all at once.
public struct FieldErrors: Error, Sendable {
    public private(set) var messages: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { messages[field] = message }
    }

    /// A trimmed, required text of bounded length.
    public mutating func required(_ field: String, _ value: String?, label: String, max: Int = 100) -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { add(field, "请填写\(label)。") }
        else if text.count > max { add(field, "\(label)不能超过\(max)个字。") }
        return text
    }

    /// An optional text: nil when blank.
    public mutating func optional(_ field: String, _ value: String?, label: String, max: Int = 200) -> String? {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        if text.count > max { add(field, "\(label)不能超过\(max)个字。") }
        return text
    }

    /// A mainland mobile number (11 digits starting with 1), optional.
    public mutating func phone(_ field: String, _ value: String?, required: Bool = false) -> String? {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { add(field, "请填写手机号码。") }
            return nil
        }
        if !PhoneNumber.isValid(text) { add(field, "手机号码“\(text)”不是有效的11位手机号。") }
        return text
    }

    public func throwIfAny() throws {
        if !messages.isEmpty { throw RendaError.validation(messages) }
    }
}

public enum PhoneNumber {
    public static func isValid(_ text: String) -> Bool {
        text.count == 11 && text.first == "1" && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// 138****1234: how a phone number appears anywhere a non-staff user could see it.
    public static func masked(_ text: String?) -> String? {
        guard let text, text.count >= 7 else { return text == nil ? nil : "****" }
        return String(text.prefix(3)) + "****" + String(text.suffix(4))
    }
}
