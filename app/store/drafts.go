package store

import (
	"context"
	"encoding/json"
	"fmt"

	"dealbooks/app/invoicing"
)

// SaveDraft keeps d as the draft of its deal, replacing any earlier one.
func (r *Repository) SaveDraft(ctx context.Context, d invoicing.Draft) error {
	text, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("store: encode draft of deal %d: %w", d.DealID, err)
	}
	_, err = r.db.ExecContext(ctx,
		"INSERT OR REPLACE INTO drafts (workspace_id, deal_id, json) VALUES (?, ?, ?)",
		r.workspaceID, d.DealID, string(text))
	if err != nil {
		return fmt.Errorf("store: save draft of deal %d: %w", d.DealID, err)
	}
	return nil
}

// Draft returns the saved draft of the deal, or invoicing.ErrNotFound.
func (r *Repository) Draft(ctx context.Context, dealID int64) (invoicing.Draft, error) {
	var text string
	err := r.db.QueryRowContext(ctx, "SELECT json FROM drafts WHERE workspace_id = ? AND deal_id = ?",
		r.workspaceID, dealID).Scan(&text)
	if err != nil {
		return invoicing.Draft{}, notFound(err, fmt.Sprintf("draft of deal %d", dealID))
	}
	var d invoicing.Draft
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return invoicing.Draft{}, fmt.Errorf("store: decode draft of deal %d: %w", dealID, err)
	}
	return d, nil
}

// DeleteDraft removes the deal's draft; removing a missing draft is not an error.
func (r *Repository) DeleteDraft(ctx context.Context, dealID int64) error {
	_, err := r.db.ExecContext(ctx, "DELETE FROM drafts WHERE workspace_id = ? AND deal_id = ?", r.workspaceID, dealID)
	if err != nil {
		return fmt.Errorf("store: delete draft of deal %d: %w", dealID, err)
	}
	return nil
}
