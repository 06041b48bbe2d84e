//! The committed TypeScript bindings match the Rust types.

use std::path::PathBuf;

#[test]
fn typescript_bindings_have_not_drifted() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/bindings.gen.ts");
    let fresh = deck_core::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p deck-core --test bindings`",
        path.display()
    );
}
