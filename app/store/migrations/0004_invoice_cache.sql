-- The invoices created through Dealbooks, as last read from QuickBooks.
CREATE TABLE invoices (
    workspace_id   INTEGER NOT NULL REFERENCES workspaces (id),
    id             TEXT    NOT NULL, -- QuickBooks Invoice Id
    deal_id        INTEGER NOT NULL,
    sync_token     TEXT    NOT NULL,
    doc_number     TEXT    NOT NULL,
    customer_id    TEXT    NOT NULL,
    customer_name  TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    issue_date     TEXT    NOT NULL, -- 'YYYY-MM-DD' or ''
    due_date       TEXT    NOT NULL, -- 'YYYY-MM-DD' or ''
    total          TEXT    NOT NULL, -- exact decimal
    balance        TEXT    NOT NULL, -- exact decimal
    private_note   TEXT    NOT NULL,
    email_status   TEXT    NOT NULL,
    bill_email     TEXT    NOT NULL,
    deleted        INTEGER NOT NULL, -- 0 or 1
    updated_at     TEXT    NOT NULL,
    -- The status as of fetched_at: its state ('open', 'partially-paid', 'paid', 'voided', 'queued',
    -- 'deleted') and its overlays (0 or 1).
    status_state   TEXT    NOT NULL,
    status_overdue INTEGER NOT NULL,
    status_sent    INTEGER NOT NULL,
    note_id        INTEGER NOT NULL, -- the Pipedrive note; 0: none
    fetched_at     TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, id)
) STRICT;

-- The orders Invoices reads them in: all of a workspace's, or one deal's, newest issue date first.
CREATE INDEX invoices_by_issue_date ON invoices (workspace_id, issue_date DESC, id);
CREATE INDEX invoices_by_deal ON invoices (workspace_id, deal_id, issue_date DESC, id);
