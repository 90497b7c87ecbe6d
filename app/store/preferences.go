package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"dealbooks/app/invoicing"
)

// Preferences returns the saved preferences, or invoicing.ErrNotFound if none were ever saved.
func (r *Repository) Preferences(ctx context.Context) (invoicing.Preferences, error) {
	var p invoicing.Preferences
	if err := r.readJSON(ctx, "preferences", &p); err != nil {
		return invoicing.Preferences{}, err
	}
	return p, nil
}

// SavePreferences replaces the preferences as a whole.
func (r *Repository) SavePreferences(ctx context.Context, p invoicing.Preferences) error {
	return r.writeJSON(ctx, "preferences", p)
}

// Company returns the last known QuickBooks company, or invoicing.ErrNotFound if none was saved.
func (r *Repository) Company(ctx context.Context) (invoicing.Company, error) {
	var c invoicing.Company
	if err := r.readJSON(ctx, "company", &c); err != nil {
		return invoicing.Company{}, err
	}
	return c, nil
}

// SaveCompany replaces the last known QuickBooks company.
func (r *Repository) SaveCompany(ctx context.Context, c invoicing.Company) error {
	return r.writeJSON(ctx, "company", c)
}

// readJSON decodes the workspace's row of table, one of the one-JSON-row-per-workspace tables.
func (r *Repository) readJSON(ctx context.Context, table string, v any) error {
	var text string
	// table is one of our constant names, never user input.
	err := r.db.QueryRowContext(ctx, "SELECT json FROM "+table+" WHERE workspace_id = ?", r.workspaceID).Scan(&text)
	if err != nil {
		return notFound(err, table)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("store: decode %s: %w", table, err)
	}
	return nil
}

func (r *Repository) writeJSON(ctx context.Context, table string, v any) error {
	text, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s: %w", table, err)
	}
	_, err = r.db.ExecContext(ctx, "INSERT INTO "+table+" (workspace_id, json) VALUES (?, ?) "+
		"ON CONFLICT (workspace_id) DO UPDATE SET json = excluded.json", r.workspaceID, string(text))
	if err != nil {
		return fmt.Errorf("store: save %s: %w", table, err)
	}
	return nil
}

// SyncState returns how fresh the caches are; the zero SyncState if nothing was ever synced.
func (r *Repository) SyncState(ctx context.Context) (invoicing.SyncState, error) {
	var deals, invoices string
	err := r.db.QueryRowContext(ctx,
		"SELECT deals_synced_at, invoices_synced_at FROM sync_state WHERE workspace_id = ?", r.workspaceID).
		Scan(&deals, &invoices)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return invoicing.SyncState{}, nil
	case err != nil:
		return invoicing.SyncState{}, fmt.Errorf("store: read sync state: %w", err)
	}
	var f fields
	st := invoicing.SyncState{DealsSyncedAt: f.time(deals), InvoicesSyncedAt: f.time(invoices)}
	if f.err != nil {
		return invoicing.SyncState{}, fmt.Errorf("store: read sync state: %w", f.err)
	}
	return st, nil
}

// SaveSyncState replaces the sync state.
func (r *Repository) SaveSyncState(ctx context.Context, st invoicing.SyncState) error {
	_, err := r.db.ExecContext(ctx, `
		INSERT INTO sync_state (workspace_id, deals_synced_at, invoices_synced_at) VALUES (?, ?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET
			deals_synced_at = excluded.deals_synced_at, invoices_synced_at = excluded.invoices_synced_at`,
		r.workspaceID, formatTime(st.DealsSyncedAt), formatTime(st.InvoicesSyncedAt))
	if err != nil {
		return fmt.Errorf("store: save sync state: %w", err)
	}
	return nil
}
