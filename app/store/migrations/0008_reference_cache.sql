-- Reference data read from Pipedrive and QuickBooks (field definitions, company, items, tax codes, terms,
-- users), kept between runs so a command does not read them again while they are fresh. One row per kind
-- and workspace; fetched_at (UTC RFC 3339) says how old it is, the reader decides what fresh means.
CREATE TABLE reference_cache (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    kind         TEXT    NOT NULL, -- e.g. 'quickbooks.items', 'pipedrive.fields'
    json         TEXT    NOT NULL,
    fetched_at   TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, kind)
) STRICT;
