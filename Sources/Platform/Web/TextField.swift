/// A text input or textarea as `partials/field.leaf` renders it: label, the control with the value
/// the user typed, an optional hint, and the error next to it, tied by `aria-describedby` and
/// marked `aria-invalid`. Like `SelectField`, the partial gets this value as its whole context
/// (`#extend("partials/field", page.username)`), so everything it shows is here.
public struct TextField: Encodable, Sendable {
    public let id: String
    public let name: String
    public let label: String
    /// The input's `type`; nil writes none (a plain text input). Ignored for a textarea.
    public let type: String?
    /// Set for a textarea of that many rows.
    public let rows: Int?
    public let value: String
    /// False for passwords and files: what was typed is never written back into the page.
    public let echoes: Bool
    public let hint: String?
    public let placeholder: String?
    public let autocomplete: String?
    public let inputmode: String?
    public let required: Bool
    public let min: String?
    public let max: String?
    public let maxlength: Int?
    public let error: String?
    public let errorID: String

    /// `name` is also the element id unless `id` is given; the value is what the form holds for
    /// that name, and the error the form's message for it. `errorID` keeps an error id a page
    /// already promised (register's `confirm-error`).
    public init(_ name: String, label: String, form: FormState, id: String? = nil, type: String? = nil, rows: Int? = nil,
                value: String? = nil, hint: String? = nil, placeholder: String? = nil, autocomplete: String? = nil,
                inputmode: String? = nil, required: Bool = false, min: String? = nil, max: String? = nil,
                maxlength: Int? = nil, errorID: String? = nil) {
        let id = id ?? name
        self.id = id; self.name = name; self.label = label; self.type = type; self.rows = rows
        self.echoes = type != "password" && type != "file"
        self.value = echoes ? (value ?? form.values[name] ?? "") : ""
        self.hint = hint; self.placeholder = placeholder; self.autocomplete = autocomplete; self.inputmode = inputmode
        self.required = required; self.min = min; self.max = max; self.maxlength = maxlength
        self.error = form.errors[name]; self.errorID = errorID ?? "\(id)-error"
    }
}
