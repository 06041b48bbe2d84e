-- The outbox: every write the user makes, stored before anything is sent, until the helpdesk
-- has it. `state` is pending, sending, failed, conflict or done. A `sending` row whose lease
-- ran out belongs to a sender that died mid-request: whether the helpdesk did the work is
-- checked before it is sent again.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    write        TEXT NOT NULL,
    resource     TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    summary      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    in_doubt     INTEGER NOT NULL DEFAULT 0,
    sent_at      TEXT,
    lease_owner  TEXT,
    lease_until  TEXT,
    next_try_at  TEXT,
    error        TEXT,
    conflicts    TEXT,
    result_id    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX outbox_by_state ON outbox (account_id, state, id);
CREATE INDEX outbox_by_target ON outbox (account_id, resource, target_id);

-- The helpdesk's own version of a cached record that pending writes show changed: what the
-- record goes back to when a write is discarded or fails.
CREATE TABLE outbox_shadows (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource   TEXT NOT NULL,
    id         TEXT NOT NULL,
    data       TEXT,
    PRIMARY KEY (account_id, resource, id)
);
