//! Files for attachments: refused before any work when over the limit, copied into the data
//! directory (so a queued write still has its file after the original moves), and removed once
//! the helpdesk has them. The UI streams a picked or dropped file in chunks, so no more than a
//! chunk of it is in memory at a time.

use crate::views::StagedFile;
use crate::{Deck, errors};
use deck_model::{AttachmentInput, UnifiedError, Write};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// The folder under the data directory that holds staged files.
const STAGING_DIR: &str = "outbox-files";
/// The folder under the data directory that keeps files sent from this machine, by account and
/// the helpdesk's attachment id, so they can be opened and saved later.
const SENT_DIR: &str = "attachments";

impl Deck {
    fn staging_dir(&self) -> PathBuf {
        self.data_dir.join(STAGING_DIR)
    }

    /// Checks a file against the limit before anything else happens to it.
    pub fn check_attachment_size(&self, file_name: &str, size: u64) -> Result<(), UnifiedError> {
        let limit_mb = self.settings()?.attachment_limit_mb;
        let limit = u64::from(limit_mb) * 1024 * 1024;
        if size > limit {
            return Err(errors::validation(
                "attachments",
                format!(
                    "{file_name} is {}; attachments can be at most {limit_mb} MiB (Settings → Attachment limit)",
                    human_size(size)
                ),
            ));
        }
        if size == 0 {
            return Err(errors::validation(
                "attachments",
                format!("{file_name} is empty"),
            ));
        }
        Ok(())
    }

    /// Stores one chunk of a file the UI is staging (`upload` names the upload, `offset` is
    /// where the chunk goes, `total` the file's size). Answers the staged file after the last
    /// chunk.
    pub fn stage_chunk(
        &self,
        upload: &str,
        file_name: &str,
        total: u64,
        offset: u64,
        bytes: &[u8],
    ) -> Result<Option<StagedFile>, UnifiedError> {
        if upload.is_empty()
            || upload.len() > 64
            || !upload
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(errors::validation("upload", "not a valid upload id"));
        }
        let name = safe_file_name(file_name);
        self.check_attachment_size(&name, total)?;
        if offset + bytes.len() as u64 > total {
            return Err(errors::validation(
                "offset",
                "the chunk goes past the end of the file",
            ));
        }
        let dir = self.staging_dir().join(upload);
        fs::create_dir_all(&dir).map_err(|e| io_error("create the staging folder", &e))?;
        let path = dir.join(&name);
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(offset == 0)
            .open(&path)
            .map_err(|e| io_error("stage the file", &e))?;
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.write_all(bytes))
            .map_err(|e| io_error("stage the file", &e))?;
        if offset + bytes.len() as u64 != total {
            return Ok(None);
        }
        file.sync_all()
            .map_err(|e| io_error("stage the file", &e))?;
        Ok(Some(StagedFile {
            path: path.to_string_lossy().into_owned(),
            content_type: detect_type(&path, &name),
            file_name: name,
            size: total,
        }))
    }

    /// Stages a file named by path (the CLI, or a file dropped on the window): checks it and
    /// copies it into the data directory.
    pub fn stage_file(&self, path: &Path) -> Result<StagedFile, UnifiedError> {
        let name = path
            .file_name()
            .map(|n| safe_file_name(&n.to_string_lossy()))
            .unwrap_or_else(|| "attachment".into());
        let meta = fs::metadata(path).map_err(|e| {
            errors::validation(
                "attachments",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        if !meta.is_file() {
            return Err(errors::validation(
                "attachments",
                format!("{} is not a file", path.display()),
            ));
        }
        self.check_attachment_size(&name, meta.len())?;
        let dir = self.staging_dir().join(upload_id());
        fs::create_dir_all(&dir).map_err(|e| io_error("create the staging folder", &e))?;
        let copy = dir.join(&name);
        fs::copy(path, &copy).map_err(|e| {
            errors::validation(
                "attachments",
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        Ok(StagedFile {
            path: copy.to_string_lossy().into_owned(),
            content_type: detect_type(&copy, &name),
            file_name: name,
            size: meta.len(),
        })
    }

    /// Removes a staged file the user took out of the composer before sending. Paths outside
    /// the staging folder are left alone.
    pub fn unstage(&self, path: &str) -> Result<(), UnifiedError> {
        let path = Path::new(path);
        if !self.is_staged(path)
            || path
                .components()
                .any(|c| c == std::path::Component::ParentDir)
        {
            return Err(errors::validation(
                "path",
                "not a file staged by Ticketdeck",
            ));
        }
        let _ = fs::remove_file(path);
        if let Some(dir) = path.parent() {
            let _ = fs::remove_dir(dir);
        }
        Ok(())
    }

    /// The attachment as the outbox keeps it: a staged copy with its name, type and size.
    pub(crate) fn stage_for_write(
        &self,
        a: &AttachmentInput,
    ) -> Result<AttachmentInput, UnifiedError> {
        let path = Path::new(&a.path);
        let staged = if self.is_staged(path) {
            let meta = fs::metadata(path).map_err(|e| {
                errors::validation("attachments", format!("the staged file is gone: {e}"))
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.check_attachment_size(&name, meta.len())?;
            StagedFile {
                path: a.path.clone(),
                content_type: detect_type(path, &name),
                file_name: name,
                size: meta.len(),
            }
        } else {
            self.stage_file(path)?
        };
        Ok(AttachmentInput {
            path: staged.path,
            file_name: a.file_name.clone().or(Some(staged.file_name)),
            content_type: a.content_type.clone().or(Some(staged.content_type)),
            size: Some(staged.size),
        })
    }

    fn is_staged(&self, path: &Path) -> bool {
        path.starts_with(self.staging_dir())
    }

    /// Keeps the staged copies of a sent comment's files under the helpdesk's attachment ids
    /// (matched by name, in order), then removes what is left of the staging.
    pub(crate) fn keep_sent_files(
        &self,
        account_id: crate::views::AccountId,
        write: &Write,
        records: &[deck_model::Record],
    ) {
        let Write::CreateComment { comment } = write else {
            return;
        };
        let sent: Vec<&deck_model::Attachment> = records
            .iter()
            .filter_map(|r| match r {
                deck_model::Record::Comment(c) => Some(c.attachments.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        let mut used = vec![false; sent.len()];
        for a in &comment.attachments {
            let path = Path::new(&a.path);
            if !self.is_staged(path) {
                continue;
            }
            let found = sent
                .iter()
                .enumerate()
                .position(|(i, s)| !used[i] && s.file_name.as_deref() == a.file_name.as_deref());
            if let Some(i) = found {
                used[i] = true;
                let dir = self
                    .data_dir
                    .join(SENT_DIR)
                    .join(account_id.to_string())
                    .join(safe_file_name(&sent[i].id));
                let name = a.file_name.clone().unwrap_or_else(|| "attachment".into());
                if fs::create_dir_all(&dir).is_ok() {
                    let _ = fs::rename(path, dir.join(safe_file_name(&name)));
                }
            }
        }
        self.remove_staged(write);
    }

    /// The file of an attachment, where this machine has it (it was sent from here). Enchant's
    /// API gives attachments' names, types and sizes but not their content, so files others
    /// attached open in Enchant itself.
    pub fn attachment_file(
        &self,
        account_id: crate::views::AccountId,
        attachment_id: &str,
    ) -> Result<PathBuf, UnifiedError> {
        let dir = self
            .data_dir
            .join(SENT_DIR)
            .join(account_id.to_string())
            .join(safe_file_name(attachment_id));
        fs::read_dir(&dir)
            .ok()
            .and_then(|mut entries| entries.find_map(|e| e.ok().map(|e| e.path())))
            .ok_or_else(|| {
                errors::not_found(
                    "this file was attached elsewhere, and the helpdesk's API does not hand out attachment content: open it in the helpdesk itself",
                )
            })
    }

    /// Copies an attachment this machine has into the user's Downloads folder (a new name if
    /// one is taken). Answers where it went.
    pub fn save_attachment(
        &self,
        account_id: crate::views::AccountId,
        attachment_id: &str,
    ) -> Result<PathBuf, UnifiedError> {
        let file = self.attachment_file(account_id, attachment_id)?;
        let downloads = directories::UserDirs::new()
            .and_then(|d| d.download_dir().map(Path::to_path_buf))
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()))
            .ok_or_else(|| {
                UnifiedError::new(
                    deck_model::ErrorCode::Internal,
                    "no Downloads or home folder to save to",
                )
            })?;
        fs::create_dir_all(&downloads).map_err(|e| io_error("create the Downloads folder", &e))?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "attachment".into());
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
            _ => (name.clone(), String::new()),
        };
        let mut target = downloads.join(&name);
        let mut n = 1;
        while target.exists() {
            target = downloads.join(format!("{stem} ({n}){ext}"));
            n += 1;
        }
        fs::copy(&file, &target).map_err(|e| io_error("save the file", &e))?;
        Ok(target)
    }

    /// Removes the staged copies a write carried, once it is done or discarded.
    pub(crate) fn remove_staged(&self, write: &Write) {
        if let Write::CreateComment { comment } = write {
            for a in &comment.attachments {
                let path = Path::new(&a.path);
                if self.is_staged(path) {
                    let _ = fs::remove_file(path);
                    if let Some(dir) = path.parent() {
                        let _ = fs::remove_dir(dir);
                    }
                }
            }
        }
    }
}

fn io_error(what: &str, e: &std::io::Error) -> UnifiedError {
    UnifiedError::new(
        deck_model::ErrorCode::Internal,
        format!("cannot {what}: {e}"),
    )
}

/// A file name without folders or characters file systems refuse.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_control() || ":*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "attachment".into()
    } else {
        clean
    }
}

fn upload_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "f{}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The MIME type from the file's first bytes, else from its name.
pub fn detect_type(path: &Path, name: &str) -> String {
    let mut head = [0u8; 16];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let by_magic: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"\x1f\x8b", "application/gzip"),
    ];
    if let Some((_, t)) = by_magic.iter().find(|(m, _)| head.starts_with(m)) {
        return (*t).into();
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return "image/webp".into();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let by_ext = match ext.as_deref() {
        Some("txt" | "log") => "text/plain",
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("pptx") => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Some("mp4") => "video/mp4",
        Some("mp3") => "audio/mpeg",
        Some("svg") => "image/svg+xml",
        Some("eml") => "message/rfc822",
        Some("zip") => "application/zip",
        _ if head.starts_with(b"PK\x03\x04") => "application/zip",
        _ if !head.is_empty() && std::str::from_utf8(head).is_ok() => "text/plain",
        _ => "application/octet-stream",
    };
    by_ext.into()
}

/// `3.2 MB`, `640 KB`, `12 bytes`.
pub fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= MB {
        format!("{:.1} MiB", b / MB)
    } else if b >= 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_folders_and_odd_characters() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\x\\a:b?.txt"), "a_b_.txt");
        assert_eq!(safe_file_name(".."), "attachment");
    }

    #[test]
    fn types_come_from_content_then_name() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("x.bin");
        fs::write(&png, b"\x89PNG\r\n\x1a\nrest").unwrap();
        assert_eq!(detect_type(&png, "x.bin"), "image/png");
        let csv = dir.path().join("a.csv");
        fs::write(&csv, b"a,b\n1,2\n").unwrap();
        assert_eq!(detect_type(&csv, "a.csv"), "text/csv");
        let raw = dir.path().join("blob");
        fs::write(&raw, [0u8, 159, 146, 150]).unwrap();
        assert_eq!(detect_type(&raw, "blob"), "application/octet-stream");
    }
}
