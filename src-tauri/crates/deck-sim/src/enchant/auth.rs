//! Access-token checks: `Authorization: Bearer <token>`, or Basic auth with the token as
//! user name and any dummy password (`curl -u token:X`).

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Whether the request carries the accepted token.
pub fn is_authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((scheme, credentials)) = value.trim().split_once(' ') else {
        return false;
    };
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        credentials == token
    } else if scheme.eq_ignore_ascii_case("basic") {
        let Ok(decoded) = STANDARD.decode(credentials) else {
            return false;
        };
        let Ok(pair) = String::from_utf8(decoded) else {
            return false;
        };
        let user = pair.split_once(':').map_or(pair.as_str(), |(u, _)| u);
        user == token
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn bearer_and_basic() {
        assert!(is_authorized(&with("Bearer tok"), "tok"));
        assert!(is_authorized(&with("bearer tok"), "tok"));
        assert!(!is_authorized(&with("Bearer nope"), "tok"));
        let basic = format!("Basic {}", STANDARD.encode("tok:X"));
        assert!(is_authorized(&with(&basic), "tok"));
        let wrong = format!("Basic {}", STANDARD.encode("X:tok"));
        assert!(!is_authorized(&with(&wrong), "tok"));
        assert!(!is_authorized(&HeaderMap::new(), "tok"));
        assert!(!is_authorized(&with("Token tok"), "tok"));
    }
}
