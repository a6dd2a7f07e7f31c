import Documents
import Foundation
import Platform

/// The text of an uploaded draft: .txt or .md as UTF-8 (UTF-16 with its byte-order mark too),
/// .docx read from the document XML inside the zip — no outside converter. A refusal names the
/// field ("file") and says what to do, in Chinese.
enum DraftUpload {
    static let maxBytes = 10 * 1024 * 1024

    static func text(name: String, data: Data) throws -> String {
        let lower = name.lowercased()
        if data.count > maxBytes { throw RendaError.validation(["file": "文件不能超过10MB。"]) }
        if lower.hasSuffix(".docx") {
            do { return try DocxText.text(of: [UInt8](data)) } catch {
                throw RendaError.validation(["file": error.message])
            }
        }
        guard lower.hasSuffix(".txt") || lower.hasSuffix(".md") else {
            throw RendaError.validation(["file": "只能上传 .docx、.txt 或 .md 文件(.doc 请先另存为 .docx)。"])
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]), let s = String(data: Data(bytes), encoding: .utf16) { return s }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw RendaError.validation(["file": "文本文件不是UTF-8编码,请用记事本“另存为”UTF-8后再上传。"])
        }
        return s
    }
}
