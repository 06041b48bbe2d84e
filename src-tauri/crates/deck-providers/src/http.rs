//! The HTTP plumbing every adapter shares: base-URL validation, authentication, pacing against
//! the rate limit, and turning failures into `ProviderError`s.

use crate::ProviderError;
use crate::pacing::{Pacer, RateProfile};
use reqwest::header::{AUTHORIZATION, HeaderMap};
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;
use url::Url;

/// How requests authenticate.
#[derive(Clone)]
pub enum Credentials {
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(***)")
    }
}

/// Accepts `https://` URLs, and plain `http://` only for loopback hosts (the simulator, a local
/// proxy); anything else is refused with the reason.
pub fn validate_base_url(raw: &str) -> Result<Url, ProviderError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| ProviderError::Refused(format!("`{raw}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(ProviderError::Refused(format!(
                    "refusing plain http:// to {}: tokens would cross the network unencrypted; use https:// (http:// is allowed only for loopback addresses)",
                    url.host_str().unwrap_or("?")
                )));
            }
        }
        other => {
            return Err(ProviderError::Refused(format!(
                "`{other}://` is not supported: use https://"
            )));
        }
    }
    if url.host().is_none() {
        return Err(ProviderError::Refused(format!("`{raw}` names no host")));
    }
    Ok(url)
}

/// A JSON answer and its headers.
pub(crate) struct Answer {
    pub body: Value,
    #[allow(dead_code)]
    pub headers: HeaderMap,
}

/// An HTTP client bound to one helpdesk account.
pub(crate) struct HttpClient {
    client: reqwest::Client,
    base: Url,
    credentials: Credentials,
    pacer: Pacer,
}

const MAX_RATE_LIMIT_RETRIES: u32 = 5;
const MAX_RETRY_WAIT: Duration = Duration::from_secs(120);

impl HttpClient {
    pub fn new(
        base: Url,
        credentials: Credentials,
        profile: RateProfile,
    ) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Ticketdeck/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| ProviderError::Refused(format!("cannot build an HTTP client: {e}")))?;
        Ok(HttpClient {
            client,
            base,
            credentials,
            pacer: Pacer::new(profile),
        })
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base_path}/{}", path.trim_start_matches('/')));
        url
    }

    /// GETs `path` with `query`, paying `cost` credits; waits out 429s a bounded number of times.
    pub async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
        cost: u32,
    ) -> Result<Answer, ProviderError> {
        let endpoint = format!("GET {path}");
        let mut attempts = 0;
        loop {
            self.pacer.before(cost).await;
            let mut req = self.client.get(self.url(path)).query(query);
            req = match &self.credentials {
                Credentials::Bearer(t) => req.header(AUTHORIZATION, format!("Bearer {t}")),
            };
            let resp = req.send().await.map_err(|e| ProviderError::Offline {
                endpoint: endpoint.clone(),
                reason: describe_transport_error(&e),
            })?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            self.pacer.after(&headers);
            if status == 429 {
                attempts += 1;
                let wait = retry_after(&headers).min(MAX_RETRY_WAIT);
                if attempts > MAX_RATE_LIMIT_RETRIES {
                    return Err(ProviderError::RateLimited {
                        retry_after_secs: wait.as_secs(),
                    });
                }
                self.pacer.blocked_for(wait);
                continue;
            }
            let bytes = resp.bytes().await.map_err(|e| ProviderError::Offline {
                endpoint: endpoint.clone(),
                reason: describe_transport_error(&e),
            })?;
            return match status {
                200..=299 => {
                    let body =
                        serde_json::from_slice(&bytes).map_err(|e| ProviderError::Malformed {
                            endpoint: endpoint.clone(),
                            field: "(body)".into(),
                            detail: format!("not JSON: {e}"),
                        })?;
                    Ok(Answer { body, headers })
                }
                401 | 403 => Err(ProviderError::Auth { endpoint, status }),
                404 => Err(ProviderError::NotFound { endpoint }),
                500..=599 => Err(ProviderError::Upstream { endpoint, status }),
                _ => Err(ProviderError::Rejected {
                    endpoint,
                    status,
                    message: error_message(&bytes),
                }),
            };
        }
    }
}

fn retry_after(headers: &HeaderMap) -> Duration {
    let secs = ["retry-after", "rate-limit-reset"]
        .iter()
        .find_map(|h| headers.get(*h)?.to_str().ok()?.trim().parse::<u64>().ok())
        .unwrap_or(1);
    Duration::from_secs(secs.max(1))
}

/// The `message` of a documented JSON error body, or a short excerpt of anything else.
fn error_message(bytes: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(bytes)
        && let Some(m) = v.get("message").and_then(Value::as_str)
    {
        let details: Vec<&str> = v
            .get("errors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.get("message")?.as_str())
                    .collect()
            })
            .unwrap_or_default();
        return if details.is_empty() {
            m.to_string()
        } else {
            format!("{m}: {}", details.join("; "))
        };
    }
    let text = String::from_utf8_lossy(bytes);
    text.chars().take(200).collect()
}

fn describe_transport_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        "connection refused or no route".into()
    } else {
        // The endpoint is named already; the URL would only repeat it.
        let mut text = e.to_string();
        if let Some(url) = e.url() {
            text = text.replace(url.as_str(), "").replace(" ()", "");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::validate_base_url;

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(validate_base_url("https://acme.enchant.com/api/v1").is_ok());
        assert!(validate_base_url("http://127.0.0.1:8080/api/v1").is_ok());
        assert!(validate_base_url("http://localhost:1/api/v1").is_ok());
        assert!(validate_base_url("http://[::1]:1/api/v1").is_ok());
        let e = validate_base_url("http://acme.enchant.com/api/v1").unwrap_err();
        assert!(e.to_string().contains("loopback"), "{e}");
        assert!(validate_base_url("http://10.0.0.1/api").is_err());
        assert!(validate_base_url("ftp://x/").is_err());
        assert!(validate_base_url("not a url").is_err());
    }
}
