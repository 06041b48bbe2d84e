//! A small client for the simulator's API, shared by its test binaries: every answer read into
//! status, headers and JSON body, with the checks the Enchant doc implies.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::time::Duration;

use deck_sim::RunningSim;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// A client that fails a hung request instead of hanging the test.
pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// One answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.parse().ok()
    }

    /// `Rate-Limit-Limit`, `-Remaining`, `-Used`, `-Reset`.
    pub fn rate(&self) -> (u64, u64, u64, u64) {
        let h = |n| {
            self.header(n)
                .unwrap_or_else(|| panic!("missing header {n} on {}", self.status))
        };
        (
            h("Rate-Limit-Limit"),
            h("Rate-Limit-Remaining"),
            h("Rate-Limit-Used"),
            h("Rate-Limit-Reset"),
        )
    }

    pub fn used(&self) -> u64 {
        self.rate().2
    }

    pub fn remaining(&self) -> u64 {
        self.rate().1
    }

    pub fn array(&self) -> &Vec<Value> {
        self.body
            .as_array()
            .unwrap_or_else(|| panic!("not an array: {}", self.raw))
    }

    pub fn ids(&self) -> Vec<String> {
        self.array()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap().to_string()
    }

    pub fn location(&self) -> &str {
        self.headers[LOCATION].to_str().unwrap()
    }

    /// A 4xx in the documented shape: JSON with a `message`.
    pub fn assert_error(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.raw);
        assert_eq!(
            self.headers.get(CONTENT_TYPE).unwrap(),
            "application/json",
            "{}",
            self.raw
        );
        assert!(self.body["message"].is_string(), "{}", self.raw);
    }

    /// A 422 in the documented shape: "Validation Failed" and a non-empty `errors` array of
    /// `{"message": ...}`; returns those messages.
    pub fn validation_errors(&self) -> Vec<String> {
        assert_eq!(
            self.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            self.raw
        );
        assert_eq!(self.headers[CONTENT_TYPE], "application/json");
        assert_eq!(self.body["message"], "Validation Failed", "{}", self.raw);
        let errors = self.body["errors"].as_array().expect("an errors array");
        assert!(!errors.is_empty(), "{}", self.raw);
        assert_eq!(self.used(), 0, "failed writes cost nothing");
        errors
            .iter()
            .map(|e| {
                assert_eq!(e.as_object().unwrap().len(), 1, "{e}");
                e["message"].as_str().unwrap().to_string()
            })
            .collect()
    }

    pub fn assert_not_found(&self) {
        assert_eq!(self.status, StatusCode::NOT_FOUND, "{}", self.raw);
        assert_eq!(self.body, json!({"message": "Not Found"}));
    }
}

/// The simulator's API, authenticated with its token.
pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub fn new(sim: &RunningSim) -> Self {
        Self {
            client: client(),
            base: sim.base_url(),
            token: sim.token().to_string(),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    /// Sends a request built elsewhere (other credentials, other headers) and reads its answer.
    pub async fn raw(&self, request: reqwest::RequestBuilder) -> Answer {
        let r = request.send().await.expect("an HTTP answer");
        let status = r.status();
        let headers = r.headers().clone();
        let raw = r.text().await.unwrap();
        let body = if raw.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("bad JSON {raw:?}: {e}"))
        };
        Answer {
            status,
            headers,
            body,
            raw,
        }
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        self.raw(self.request(Method::GET, path).query(query)).await
    }

    /// A write with a JSON body.
    pub async fn send(&self, method: Method, path: &str, body: Value) -> Answer {
        self.raw(self.request(method, path).json(&body)).await
    }

    /// A write with no body (DELETE), or an empty JSON one (PUT).
    pub async fn bare(&self, method: Method, path: &str) -> Answer {
        let request = self.request(method.clone(), path);
        let request = if method == Method::DELETE {
            request
        } else {
            request.header(CONTENT_TYPE, "application/json")
        };
        self.raw(request).await
    }

    /// Every ticket id in the given order, walking all pages.
    pub async fn all_ticket_ids(&self, query: &[(&str, &str)]) -> Vec<String> {
        let mut ids = Vec::new();
        for page in 1.. {
            let p = page.to_string();
            let mut q = query.to_vec();
            q.push(("per_page", "100"));
            q.push(("page", &p));
            let a = self.get("/tickets", &q).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
            let batch = a.ids();
            let done = batch.len() < 100;
            ids.extend(batch);
            if done {
                break;
            }
        }
        ids
    }
}
