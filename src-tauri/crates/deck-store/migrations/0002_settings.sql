-- User preferences, one value per key (e.g. the background sync interval).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
