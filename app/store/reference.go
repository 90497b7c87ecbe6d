package store

import (
	"context"
	"fmt"
	"time"
)

// Reference returns the reference data stored under kind (as JSON) and when it was fetched, or
// invoicing.ErrNotFound when none is stored.
func (r *Repository) Reference(ctx context.Context, kind string) ([]byte, time.Time, error) {
	var text, fetched string
	err := r.db.QueryRowContext(ctx, `SELECT json, fetched_at FROM reference_cache WHERE workspace_id = ? AND kind = ?`,
		r.workspaceID, kind).Scan(&text, &fetched)
	if err != nil {
		return nil, time.Time{}, notFound(err, "reference data "+kind)
	}
	var f fields
	at := f.time(fetched)
	if f.err != nil {
		return nil, time.Time{}, fmt.Errorf("store: reference data %s: %w", kind, f.err)
	}
	return []byte(text), at, nil
}

// SaveReference replaces the reference data stored under kind with body (JSON), fetched at fetchedAt.
func (r *Repository) SaveReference(ctx context.Context, kind string, body []byte, fetchedAt time.Time) error {
	_, err := r.db.ExecContext(ctx, `
		INSERT INTO reference_cache (workspace_id, kind, json, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id, kind) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`,
		r.workspaceID, kind, string(body), formatTime(fetchedAt))
	if err != nil {
		return fmt.Errorf("store: save reference data %s: %w", kind, err)
	}
	return nil
}

// DeleteReference forgets the reference data stored under kind, if any.
func (r *Repository) DeleteReference(ctx context.Context, kind string) error {
	if _, err := r.db.ExecContext(ctx, `DELETE FROM reference_cache WHERE workspace_id = ? AND kind = ?`,
		r.workspaceID, kind); err != nil {
		return fmt.Errorf("store: delete reference data %s: %w", kind, err)
	}
	return nil
}
