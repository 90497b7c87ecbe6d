-- The Pipedrive deals seen, for the deal picker and for offline use.
CREATE TABLE deals (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    id           INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    value        TEXT    NOT NULL, -- exact decimal
    currency     TEXT    NOT NULL,
    status       TEXT    NOT NULL, -- 'open', 'won', 'lost' or 'deleted'
    owner_id     INTEGER NOT NULL,
    org_id       INTEGER NOT NULL, -- 0: none
    org_name     TEXT    NOT NULL,
    person_id    INTEGER NOT NULL, -- 0: none
    person_name  TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    -- search is title, organization and person name, lower-cased by the app (SQLite's lower() knows only
    -- ASCII) and joined by newlines; the picker's text filter is a substring search on it.
    search       TEXT    NOT NULL,
    -- The picker lists open and won deals (rank 0) before lost and deleted ones (rank 1).
    rank         INTEGER NOT NULL GENERATED ALWAYS AS (CASE WHEN status IN ('open', 'won') THEN 0 ELSE 1 END) VIRTUAL,
    PRIMARY KEY (workspace_id, id)
) STRICT;

-- The picker's order, so a list with a limit reads only the first rows of the index.
CREATE INDEX deals_by_picker_order ON deals (workspace_id, rank, updated_at DESC, id);
