-- Deletions found by sweeps. A sweep lists a resource from the start; when it finishes, the
-- records it did not see are marked deleted (kept as tombstones, hidden from reads), never
-- dropped. `seen_at` is when a sync last stored the record; `sweep_started_at` is when the
-- listing in progress began, carried across restarts with its cursor.
ALTER TABLE records ADD COLUMN seen_at TEXT;
ALTER TABLE records ADD COLUMN deleted_at TEXT;
ALTER TABLE checkpoints ADD COLUMN sweep_started_at TEXT;
