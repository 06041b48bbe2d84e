//! The HTTP plumbing every adapter shares: base-URL validation, authentication, every request
//! through the account's rate-limit scheduler, and turning failures into `ProviderError`s.

use crate::ProviderError;
use deck_scheduler::{Feedback, Lane, Scheduler};
use reqwest::header::AUTHORIZATION;
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

/// An HTTP client bound to one helpdesk account. Every request goes through the account's
/// scheduler, on this client's lane.
#[derive(Clone)]
pub(crate) struct HttpClient {
    client: reqwest::Client,
    base: Url,
    credentials: Credentials,
    scheduler: Scheduler,
    lane: Lane,
}

/// 429s in a row after which a request gives up (the scheduler waits between them).
const MAX_RATE_LIMIT_RETRIES: u32 = 5;

impl HttpClient {
    pub fn new(
        base: Url,
        credentials: Credentials,
        scheduler: Scheduler,
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
            scheduler,
            lane: Lane::Background,
        })
    }

    /// The same client, sending on `lane`.
    pub fn on_lane(&self, lane: Lane) -> Self {
        HttpClient {
            lane,
            ..self.clone()
        }
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
    ) -> Result<Value, ProviderError> {
        let endpoint = format!("GET {path}");
        let mut attempts = 0;
        // A GET changes nothing, so one lost answer (a dropped connection, a 5xx) is retried once.
        let mut retried = false;
        loop {
            let permit = self.scheduler.acquire(self.lane, cost).await;
            let req = self.request(reqwest::Method::GET, path).query(query);
            let resp = match req.send().await {
                Ok(resp) => resp,
                Err(e) => {
                    if e.is_connect() {
                        // Never reached the helpdesk: it spent nothing.
                        self.scheduler.return_unsent(permit);
                    } else if !retried {
                        // The answer was lost on the way; the permit drops (it may have been
                        // counted) and the request goes once more.
                        drop(permit);
                        retried = true;
                        continue;
                    }
                    return Err(ProviderError::Offline {
                        endpoint,
                        reason: describe_transport_error(&e),
                    });
                }
            };
            let status = self.settle(permit, &resp);
            if status == 429 {
                self.after_429(&mut attempts)?;
                // The scheduler now holds every lane for what the server asked.
                continue;
            }
            if (500..=599).contains(&status) && !retried {
                retried = true;
                continue;
            }
            let bytes = match resp.bytes().await {
                Ok(bytes) => bytes,
                Err(_) if !retried => {
                    retried = true;
                    continue;
                }
                Err(e) => {
                    return Err(ProviderError::Offline {
                        endpoint,
                        reason: describe_transport_error(&e),
                    });
                }
            };
            return match status {
                200..=299 => json_body(&endpoint, &bytes),
                _ => Err(status_error(endpoint, status, &bytes)),
            };
        }
    }
}

/// The verbs a write uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpClient {
    /// Sends one write. It is never repeated on its own, except after a 429 (the helpdesk did
    /// nothing): a lost answer is `AnswerLost`, for the outbox to find out what happened.
    /// Answers the JSON body, or `None` for an empty one (204).
    pub async fn send(
        &self,
        verb: Verb,
        path: &str,
        body: Option<bytes::Bytes>,
    ) -> Result<Option<Value>, ProviderError> {
        let method = match verb {
            Verb::Post => reqwest::Method::POST,
            Verb::Put => reqwest::Method::PUT,
            Verb::Patch => reqwest::Method::PATCH,
            Verb::Delete => reqwest::Method::DELETE,
        };
        let endpoint = format!("{method} {path}");
        let mut attempts = 0;
        loop {
            let permit = self.scheduler.acquire(self.lane, 1).await;
            let mut req = self.request(method.clone(), path);
            if verb != Verb::Delete {
                // The doc: every POST, PUT and PATCH is JSON, or the answer is 415.
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(
                        body.clone()
                            .unwrap_or_else(|| bytes::Bytes::from_static(b"{}")),
                    );
            }
            let resp = match req.send().await {
                Ok(resp) => resp,
                Err(e) if e.is_connect() => {
                    self.scheduler.return_unsent(permit);
                    return Err(ProviderError::Offline {
                        endpoint,
                        reason: describe_transport_error(&e),
                    });
                }
                Err(e) => {
                    return Err(ProviderError::AnswerLost {
                        endpoint,
                        reason: describe_transport_error(&e),
                    });
                }
            };
            let status = self.settle(permit, &resp);
            if status == 429 {
                self.after_429(&mut attempts)?;
                continue;
            }
            let bytes = resp.bytes().await.map_err(|e| ProviderError::AnswerLost {
                endpoint: endpoint.clone(),
                reason: describe_transport_error(&e),
            })?;
            return match status {
                200..=299 if bytes.iter().all(u8::is_ascii_whitespace) => Ok(None),
                200..=299 => json_body(&endpoint, &bytes).map(Some),
                _ => Err(status_error(endpoint, status, &bytes)),
            };
        }
    }
}

impl HttpClient {
    /// A request to `path` with the account's credentials.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self.client.request(method, self.url(path));
        match &self.credentials {
            Credentials::Bearer(t) => req.header(AUTHORIZATION, format!("Bearer {t}")),
        }
    }

    /// Hands the permit back with what the answer's headers say about the budget; answers the
    /// status.
    fn settle(&self, permit: deck_scheduler::Permit, resp: &reqwest::Response) -> u16 {
        let status = resp.status().as_u16();
        let headers = resp.headers();
        let feedback = Feedback::from_headers(status, |name| {
            headers.get(name)?.to_str().ok().map(str::to_string)
        });
        self.scheduler.complete(permit, feedback);
        status
    }

    /// After a 429 the scheduler holds every lane for what the server asked; after too many in
    /// a row the request gives up, saying until when the budget is spent.
    fn after_429(&self, attempts: &mut u32) -> Result<(), ProviderError> {
        *attempts += 1;
        if *attempts <= MAX_RATE_LIMIT_RETRIES {
            return Ok(());
        }
        let wait = self.scheduler.status();
        let secs = wait
            .waiting_until
            .map(|until| until.saturating_sub(wait.now).as_secs())
            .unwrap_or(1);
        Err(ProviderError::RateLimited {
            retry_after_secs: secs.max(1),
        })
    }
}

fn json_body(endpoint: &str, bytes: &[u8]) -> Result<Value, ProviderError> {
    serde_json::from_slice(bytes).map_err(|e| ProviderError::Malformed {
        endpoint: endpoint.to_string(),
        field: "(body)".into(),
        detail: format!("not JSON: {e}"),
    })
}

/// The error for a non-2xx answer.
fn status_error(endpoint: String, status: u16, bytes: &[u8]) -> ProviderError {
    match status {
        401 | 403 => ProviderError::Auth { endpoint, status },
        404 => ProviderError::NotFound { endpoint },
        500..=599 => ProviderError::Upstream { endpoint, status },
        _ => ProviderError::Rejected {
            endpoint,
            status,
            message: error_message(bytes),
        },
    }
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
