/// Why an uploaded file's text could not be read. Every case carries a message the uploader
/// can act on; details stay out of it, because they would mean nothing to them.
public enum DocumentError: Error, Equatable, Sendable {
    /// Not a zip at all (a PDF, a picture, random bytes, an empty upload, ...).
    case notAZip
    /// An OLE compound file: a Word 97–2003 .doc, or a .docx that Word saved with a password
    /// (Word wraps encrypted .docx files in that older container).
    case oldWordOrPassword
    /// A zip, but without the part asked for (for a .docx: `word/document.xml`).
    case notADocx
    /// A zip entry encrypted by the zip format itself.
    case encrypted
    /// A zip feature deliberately not read: zip64, split archives, compression other than
    /// stored or deflate.
    case unsupported
    /// More entries, or more uncompressed bytes, than allowed.
    case tooLarge
    /// Truncated or garbled: sizes, offsets or checksums that do not add up.
    case corrupt
    /// A readable document without any text in it.
    case noText

    /// What to tell the person who uploaded the file.
    public var message: String {
        switch self {
        case .notAZip: "这不是有效的 .docx 文件，请上传用 Word 或 WPS 保存的 .docx 文件。"
        case .oldWordOrPassword: "这是旧版 .doc 文件或设有密码的文档，请在 Word 或 WPS 中另存为 .docx（不设密码）后再上传。"
        case .notADocx: "文件中找不到 Word 正文，请确认上传的是 .docx 文件。"
        case .encrypted: "文件设有密码，请取消密码后再上传。"
        case .unsupported: "文件使用了不支持的格式，请在 Word 或 WPS 中重新另存为 .docx 后再上传。"
        case .tooLarge: "文件太大，请删减内容或分成几个文件后再上传。"
        case .corrupt: "文件已损坏或不完整，请重新保存后再上传。"
        case .noText: "文件中没有文字。"
        }
    }
}
