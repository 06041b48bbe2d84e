//! Makes helpdesk HTML safe for the webview: no scripts, no event handlers, no `javascript:`
//! links, links opened without referrer. Also turns HTML into plain text.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("a", "target", "_blank");
    b
});

static STRIPPER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.clean_content_tags(HashSet::from(["script", "style"]));
    b
});

/// Sanitized HTML, safe to render.
pub fn clean_html(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The text of an HTML body: tags dropped, block ends as line breaks, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let with_breaks = html
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("</p>", "</p>\n")
        .replace("</li>", "</li>\n")
        .replace("</div>", "</div>\n");
    let text = STRIPPER.clean(&with_breaks).to_string();
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markup_is_removed() {
        let hostile = r#"<p>Hi</p><img src=x onerror="document.title='pwned'"><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">click</a><iframe src="https://evil"></iframe>"#;
        let clean = clean_html(hostile);
        for bad in [
            "onerror",
            "<script",
            "javascript:",
            "onclick",
            "<iframe",
            "alert",
        ] {
            assert!(!clean.contains(bad), "{bad} survived in {clean}");
        }
        assert!(clean.contains("<p>Hi</p>"));
        assert!(clean.contains("click"));
    }

    #[test]
    fn text_keeps_line_breaks_and_decodes_entities() {
        assert_eq!(
            html_to_text("<p>Hi Chris,</p><p>Tom &amp; Jerry<br>bye</p><script>x()</script>"),
            "Hi Chris,\nTom & Jerry\nbye"
        );
    }
}
