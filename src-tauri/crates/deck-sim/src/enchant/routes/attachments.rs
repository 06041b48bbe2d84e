//! `/attachments`: metadata and uploads (base64 `data`).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use super::super::errors::{ApiError, ApiResult, Reply, Validation};
use super::super::params::{BodyFields, json_object};
use super::super::store::SimState;
use super::super::wire::Attachment;
use super::{not_found, to_json};

/// `GET /attachments/{id}`.
pub fn get(state: &mut SimState, id: &str) -> ApiResult {
    match state.attachment(id) {
        Some(a) => Ok(Reply::ok(to_json(a))),
        None => not_found(),
    }
}

/// Decodes base64, ignoring the line breaks and spaces of wrapped encodings (the doc's own
/// sample wraps its data over several lines).
fn decode(data: &str) -> Option<Vec<u8>> {
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| STANDARD_NO_PAD.decode(&compact))
        .ok()
}

/// `POST /attachments`: name, type and base64 data; 201 with the metadata.
pub fn create(state: &mut SimState, body: &[u8]) -> ApiResult {
    let obj = json_object(body)?;
    let mut v = Validation::default();
    let name = obj.required_string("name", &mut v);
    let mime_type = obj.required_string("type", &mut v);
    let data = obj.required_string("data", &mut v);
    let bytes = data.as_deref().and_then(|d| {
        let decoded = decode(d);
        if decoded.is_none() {
            v.fail("data is not valid base64");
        }
        decoded
    });
    v.finish()?;
    let (Some(name), Some(mime_type), Some(bytes)) = (name, mime_type, bytes) else {
        return Err(ApiError::validation(vec![
            "attachment is not valid".to_string(),
        ]));
    };
    let attachment = Attachment {
        id: state.ids.next_id(),
        name,
        size: bytes.len() as u64,
        mime_type,
    };
    let location = state.location(&format!("/attachments/{}", attachment.id));
    let value = to_json(&attachment);
    state.push_attachment(attachment);
    Ok(Reply::created(value, location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_wrapped_sample_decodes_to_197_bytes() {
        let sample = "UEsDBAoAAAAAAFmu/kLPx4wKGwAAABsAAAAKABwAcmVhZG1lLnR4dFVUCQAD
           OjX4UTo1+FF1eAsAAQToAwAABOgDAABNYXkgdGhlIGZvcmNlIGJlIHdpdGgg
           eW91LgpQSwECHgMKAAAAAABZrv5Cz8eMChsAAAAbAAAACgAYAAAAAAABAAAA
           tIEAAAAAcmVhZG1lLnR4dFVUBQADOjX4UXV4CwABBOgDAAAE6AMAAFBLBQYA
           AAAAAQABAFAAAABfAAAAAAA=";
        assert_eq!(decode(sample).map(|b| b.len()), Some(197));
        assert_eq!(decode("not base64!"), None);
    }
}
