-- The invoices on their way to QuickBooks. An entry is written whole, draft and request ids included,
-- before any network call, so a retry after a lost answer or a crash reuses the same request ids.
-- AUTOINCREMENT: an entry's id is never reused, as the history refers to entries by id.
CREATE TABLE outbox (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    workspace_id        INTEGER NOT NULL REFERENCES workspaces (id),
    deal_id             INTEGER NOT NULL,
    draft               TEXT    NOT NULL, -- JSON of invoicing.Draft
    state               TEXT    NOT NULL, -- 'queued', 'customer-done', 'sent', 'done' or 'failed'
    customer_request_id TEXT    NOT NULL,
    invoice_request_id  TEXT    NOT NULL,
    customer_id         TEXT    NOT NULL,
    invoice_id          TEXT    NOT NULL,
    note_id             INTEGER NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    last_error          TEXT    NOT NULL,
    -- QuickBooks answers a repeated request id with the first request's result: two entries sharing one
    -- would be a bug that silently loses an invoice.
    UNIQUE (workspace_id, customer_request_id),
    UNIQUE (workspace_id, invoice_request_id)
) STRICT;

CREATE INDEX outbox_by_state ON outbox (workspace_id, state, id);
