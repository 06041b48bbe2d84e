-- Accounts, the unified-record cache, per-resource sync checkpoints and ticket search.
-- Secrets are never stored here: an account only says where its token comes from.

CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    provider       TEXT NOT NULL,
    site           TEXT,
    base_url       TEXT NOT NULL,
    token_source   TEXT NOT NULL,
    is_demo        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    last_synced_at TEXT
);

CREATE TABLE tickets (
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    number        TEXT,
    subject       TEXT NOT NULL DEFAULT '',
    status        TEXT,
    assignee_id   TEXT,
    contact_id    TEXT,
    collection_id TEXT,
    created_at    TEXT,
    updated_at    TEXT,
    data          TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX tickets_by_updated ON tickets (account_id, updated_at DESC, id);
CREATE INDEX tickets_by_updated_all ON tickets (updated_at DESC, account_id, id);

CREATE TABLE ticket_tags (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    ticket_id  TEXT NOT NULL,
    tag_id     TEXT NOT NULL,
    PRIMARY KEY (account_id, ticket_id, tag_id)
);
CREATE INDEX ticket_tags_by_tag ON ticket_tags (account_id, tag_id);

CREATE TABLE comments (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    created_at  TEXT,
    is_internal INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX comments_by_ticket ON comments (account_id, ticket_id, created_at, id);

-- Every other resource: contacts, users, tags, collections, ticket_status, attachments, ...
-- `parent_id` is the ticket an attachment belongs to, where there is one.
CREATE TABLE records (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource   TEXT NOT NULL,
    id         TEXT NOT NULL,
    parent_id  TEXT,
    data       TEXT NOT NULL,
    PRIMARY KEY (account_id, resource, id)
);
CREATE INDEX records_by_parent ON records (account_id, resource, parent_id);

-- Which tickets have their thread cached, and at which version of the ticket.
CREATE TABLE threads (
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    ticket_id         TEXT NOT NULL,
    ticket_updated_at TEXT,
    synced_at         TEXT NOT NULL,
    PRIMARY KEY (account_id, ticket_id)
);

-- Where each resource's sync stands: written in the same transaction as the page it follows,
-- so an interrupted sync resumes from the last stored page.
CREATE TABLE checkpoints (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource   TEXT NOT NULL,
    cursor     TEXT,
    complete   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, resource)
);

CREATE VIRTUAL TABLE tickets_fts USING fts5(subject, content = 'tickets', content_rowid = 'rowid');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject) VALUES (new.rowid, new.subject);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', old.rowid, old.subject);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', old.rowid, old.subject);
    INSERT INTO tickets_fts (rowid, subject) VALUES (new.rowid, new.subject);
END;
