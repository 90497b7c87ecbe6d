-- A workspace is one account pair: a Pipedrive company and a QuickBooks company (realm). Every row of the
-- invoicing data below carries its workspace_id, so two pairs never see each other's rows.
--
-- Conventions for every table from here on: money is TEXT holding an exact decimal string that keeps its
-- places ("100.00"), never REAL; not integer minor units, because unit prices and tax rates carry more
-- places than a currency's minor unit and no table of currency exponents is then needed. Calendar dates
-- are TEXT 'YYYY-MM-DD' ('' for none). Instants are TEXT in UTC RFC 3339 with nine fraction digits
-- ('2026-11-27T14:30:00.000000000Z'), so text order is time order and nanoseconds survive.
CREATE TABLE workspaces (
    id                INTEGER NOT NULL PRIMARY KEY,
    pipedrive_company TEXT    NOT NULL,
    quickbooks_realm  TEXT    NOT NULL,
    UNIQUE (pipedrive_company, quickbooks_realm)
) STRICT;

-- The invoicing preferences, as the JSON encoding/json writes for invoicing.Preferences.
CREATE TABLE preferences (
    workspace_id INTEGER NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    json         TEXT    NOT NULL
) STRICT;

-- The last known QuickBooks company (CompanyInfo and Preferences merged), as JSON, so drafts validate
-- offline.
CREATE TABLE company (
    workspace_id INTEGER NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    json         TEXT    NOT NULL
) STRICT;

-- Where the next refresh of deals and of invoices starts.
CREATE TABLE sync_state (
    workspace_id       INTEGER NOT NULL PRIMARY KEY REFERENCES workspaces (id),
    deals_synced_at    TEXT    NOT NULL,
    invoices_synced_at TEXT    NOT NULL
) STRICT;

-- The QuickBooks customer of a Pipedrive organization or person, one per currency.
CREATE TABLE customer_links (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    party_entity TEXT    NOT NULL, -- 'organization' or 'person'
    party_id     INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, party_entity, party_id, currency)
) STRICT, WITHOUT ROWID;

-- The QuickBooks item of a Pipedrive product.
CREATE TABLE item_links (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    product_id   INTEGER NOT NULL,
    item_id      TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, product_id)
) STRICT, WITHOUT ROWID;

-- The draft being edited for a deal, as the JSON encoding/json writes for invoicing.Draft.
CREATE TABLE drafts (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    deal_id      INTEGER NOT NULL,
    json         TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, deal_id)
) STRICT;
