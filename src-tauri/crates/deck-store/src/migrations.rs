//! Numbered SQL migrations, embedded in the binary and applied in one transaction. Released
//! migrations are never edited: a change is a new file.

use rusqlite::Connection;

/// `(version, file name, sql)`, in order; the version is the file's number.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (
        1,
        "0001_init.sql",
        include_str!("../migrations/0001_init.sql"),
    ),
    (
        2,
        "0002_settings.sql",
        include_str!("../migrations/0002_settings.sql"),
    ),
    (
        3,
        "0003_outbox.sql",
        include_str!("../migrations/0003_outbox.sql"),
    ),
    (
        4,
        "0004_tombstones.sql",
        include_str!("../migrations/0004_tombstones.sql"),
    ),
    (
        5,
        "0005_rate_limits.sql",
        include_str!("../migrations/0005_rate_limits.sql"),
    ),
];

/// Brings the schema up to date. All pending migrations apply in one transaction, so a crash
/// leaves the old schema or the new one, never half of one.
pub fn apply(conn: &mut Connection) -> rusqlite::Result<u32> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tx = conn.transaction()?;
    let mut version = current;
    for (v, _, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > current) {
        tx.execute_batch(sql)?;
        version = *v;
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_contiguous_and_match_file_names() {
        for (i, (v, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
            assert!(name.starts_with(&format!("{v:04}_")), "{name}");
        }
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .count();
        assert_eq!(
            on_disk,
            MIGRATIONS.len(),
            "every migration file is embedded"
        );
    }

    #[test]
    fn applies_once_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(apply(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        assert_eq!(apply(&mut conn).unwrap(), MIGRATIONS.len() as u32);
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'tickets_fts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }
}
