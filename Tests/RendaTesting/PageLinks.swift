import Foundation

/// The href of a list's 下一页 (`rel: "next"`) or 上一页 (`rel: "prev"`) link in `partials/pages`,
/// entities decoded; nil when the page has none.
public func pageLink(_ html: String, _ rel: String) -> String? {
    let label = rel == "next" ? "下一页" : "上一页"
    let links = html.matches(of: #/<a class="button" rel="([a-z]+)" href="([^"]*)">([^<]*)</a>/#)
    return links.first { $0.1 == rel && $0.3 == label }.map { String($0.2).replacingOccurrences(of: "&amp;", with: "&") }
}
