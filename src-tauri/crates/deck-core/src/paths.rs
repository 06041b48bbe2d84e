//! Where Ticketdeck keeps its data.

use std::path::PathBuf;

/// `TICKETDECK_DATA_DIR` if set, else the OS's app-data directory (on Linux
/// `~/.local/share/ticketdeck`). The desktop app and the CLI share it.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TICKETDECK_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "ticketdeck")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".ticketdeck"))
}
