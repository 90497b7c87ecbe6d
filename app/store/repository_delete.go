package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dealbooks/app/invoicing"
)

// UnsentError is DeleteRepository's refusal while invoices of the pair are still on their way: not yet
// in QuickBooks, or in QuickBooks without their Pipedrive deal note. Deleting them would lose them
// without a word; once they are sent (or have failed) the workspace can be deleted.
type UnsentError struct {
	DealIDs []int64 // the deals of the unfinished outbox entries, oldest entry first
}

// Is makes an UnsentError match invoicing.ErrUnsentInvoices, the form the rest of the app checks.
func (e *UnsentError) Is(target error) bool { return target == invoicing.ErrUnsentInvoices }

func (e *UnsentError) Error() string {
	return fmt.Sprintf("store: %d invoice(s) of this account pair are still waiting to be sent", len(e.DealIDs))
}

// workspaceTables are the tables holding an account pair's rows, children of workspaces.
var workspaceTables = []string{
	"preferences", "company", "sync_state", "customer_links", "item_links", "drafts", "deals", "invoices", "outbox",
	"reference_cache",
}

// DeleteRepository deletes everything kept for the account pair of the Pipedrive company id and the
// QuickBooks realm id — preferences, company, sync state, customer and item links, drafts, the deal
// and invoice caches, the outbox, and the pair itself — in one transaction, so either all of it goes
// or none. Other pairs are untouched, and so are the app's settings. A pair never seen is nothing to
// delete. While an outbox entry of the pair is unfinished (queued, customer-done or sent) nothing is
// deleted and the error is an *UnsentError; failed entries do not hold it back.
//
// A Repository of the pair obtained earlier must not be used afterwards; Repository starts the pair
// afresh.
func (s *Store) DeleteRepository(ctx context.Context, pipedriveCompany, quickbooksRealm string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: delete workspace: %w", err)
	}
	defer tx.Rollback() // a no-op after Commit
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM workspaces WHERE pipedrive_company = ? AND quickbooks_realm = ?`,
		pipedriveCompany, quickbooksRealm).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: delete workspace: %w", err)
	}
	unsent, err := unsentDeals(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("store: delete workspace: %w", err)
	}
	if len(unsent) > 0 {
		return &UnsentError{DealIDs: unsent}
	}
	for _, table := range workspaceTables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE workspace_id = ?", id); err != nil {
			return fmt.Errorf("store: delete workspace: %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM workspaces WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: delete workspace: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: delete workspace: %w", err)
	}
	return nil
}

// unsentDeals returns the deals of the workspace's unfinished outbox entries, oldest entry first.
func unsentDeals(ctx context.Context, tx *sql.Tx, workspaceID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT deal_id FROM outbox WHERE workspace_id = ? AND state IN (?, ?, ?) ORDER BY id`,
		workspaceID, string(invoicing.OutboxQueued), string(invoicing.OutboxCustomerDone), string(invoicing.OutboxSent))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var deals []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		deals = append(deals, id)
	}
	return deals, rows.Err()
}
