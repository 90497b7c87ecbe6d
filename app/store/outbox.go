package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dealbooks/app/invoicing"
)

// Enqueue stores e as a new entry, draft, request ids and times included, and returns it with its ID
// set. The entry is one INSERT, which SQLite writes in one transaction: after a failure or a crash
// either all of it is stored or none of it. Both request ids are required.
func (r *Repository) Enqueue(ctx context.Context, e invoicing.OutboxEntry) (invoicing.OutboxEntry, error) {
	if e.CustomerRequestID == "" || e.InvoiceRequestID == "" {
		return invoicing.OutboxEntry{}, errors.New("store: enqueue: an outbox entry needs both request ids")
	}
	draft, err := json.Marshal(e.Draft)
	if err != nil {
		return invoicing.OutboxEntry{}, fmt.Errorf("store: enqueue: encode draft: %w", err)
	}
	err = r.db.QueryRowContext(ctx, `
		INSERT INTO outbox (workspace_id, deal_id, draft, state, customer_request_id, invoice_request_id,
			customer_id, invoice_id, note_id, created_at, updated_at, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		r.workspaceID, e.DealID, string(draft), string(e.State), e.CustomerRequestID, e.InvoiceRequestID,
		e.CustomerID, e.InvoiceID, e.NoteID, formatTime(e.CreatedAt), formatTime(e.UpdatedAt), e.LastError).
		Scan(&e.ID)
	if err != nil {
		return invoicing.OutboxEntry{}, fmt.Errorf("store: enqueue: %w", err)
	}
	return e, nil
}

// UpdateOutbox replaces the stored entry of e.ID with e. An entry that does not exist is
// invoicing.ErrNotFound.
func (r *Repository) UpdateOutbox(ctx context.Context, e invoicing.OutboxEntry) error {
	draft, err := json.Marshal(e.Draft)
	if err != nil {
		return fmt.Errorf("store: update outbox entry %d: encode draft: %w", e.ID, err)
	}
	res, err := r.db.ExecContext(ctx, `
		UPDATE outbox SET deal_id = ?, draft = ?, state = ?, customer_request_id = ?, invoice_request_id = ?,
			customer_id = ?, invoice_id = ?, note_id = ?, created_at = ?, updated_at = ?, last_error = ?
		WHERE workspace_id = ? AND id = ?`,
		e.DealID, string(draft), string(e.State), e.CustomerRequestID, e.InvoiceRequestID, e.CustomerID,
		e.InvoiceID, e.NoteID, formatTime(e.CreatedAt), formatTime(e.UpdatedAt), e.LastError, r.workspaceID, e.ID)
	if err != nil {
		return fmt.Errorf("store: update outbox entry %d: %w", e.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update outbox entry %d: %w", e.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("store: update outbox entry %d: %w", e.ID, invoicing.ErrNotFound)
	}
	return nil
}

const outboxColumns = `id, deal_id, draft, state, customer_request_id, invoice_request_id, customer_id,
	invoice_id, note_id, created_at, updated_at, last_error`

// OutboxEntry returns the entry as last stored, or invoicing.ErrNotFound.
func (r *Repository) OutboxEntry(ctx context.Context, id int64) (invoicing.OutboxEntry, error) {
	row := r.db.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE workspace_id = ? AND id = ?",
		r.workspaceID, id)
	e, err := scanOutboxEntry(row)
	if err != nil {
		return invoicing.OutboxEntry{}, notFound(err, fmt.Sprintf("outbox entry %d", id))
	}
	return e, nil
}

// PendingOutbox returns the entries still to be worked on (queued, customer-done and sent), oldest
// first.
func (r *Repository) PendingOutbox(ctx context.Context) ([]invoicing.OutboxEntry, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT "+outboxColumns+` FROM outbox
		WHERE workspace_id = ? AND state IN (?, ?, ?) ORDER BY id`,
		r.workspaceID, string(invoicing.OutboxQueued), string(invoicing.OutboxCustomerDone), string(invoicing.OutboxSent))
	if err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	defer rows.Close()
	var entries []invoicing.OutboxEntry
	for rows.Next() {
		e, err := scanOutboxEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read outbox: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	return entries, nil
}

func scanOutboxEntry(row scanner) (invoicing.OutboxEntry, error) {
	var e invoicing.OutboxEntry
	var draft, state, created, updated string
	err := row.Scan(&e.ID, &e.DealID, &draft, &state, &e.CustomerRequestID, &e.InvoiceRequestID,
		&e.CustomerID, &e.InvoiceID, &e.NoteID, &created, &updated, &e.LastError)
	if err != nil {
		return invoicing.OutboxEntry{}, err
	}
	var f fields
	e.State = invoicing.OutboxState(state)
	e.CreatedAt = f.time(created)
	e.UpdatedAt = f.time(updated)
	if err := errors.Join(f.err, json.Unmarshal([]byte(draft), &e.Draft)); err != nil {
		return invoicing.OutboxEntry{}, fmt.Errorf("outbox entry %d: %w", e.ID, err)
	}
	return e, nil
}

// ClaimOutbox leases the entry to owner until until, unless another owner holds a lease that has not
// expired by now: then it returns false and changes nothing. owner claiming an entry it holds extends its
// lease. The check and the write are one UPDATE, so of two processes claiming at once exactly one gets
// the entry. An entry that does not exist is invoicing.ErrNotFound.
func (r *Repository) ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) (bool, error) {
	if owner == "" {
		return false, errors.New("store: claim outbox entry: an owner is required")
	}
	res, err := r.db.ExecContext(ctx, `
		UPDATE outbox SET lease_owner = ?, lease_until = ?
		WHERE workspace_id = ? AND id = ? AND (lease_owner IN ('', ?) OR lease_until <= ?)`,
		owner, formatTime(until), r.workspaceID, id, owner, formatTime(now))
	if err != nil {
		return false, fmt.Errorf("store: claim outbox entry %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim outbox entry %d: %w", id, err)
	}
	if n == 1 {
		return true, nil
	}
	if _, err := r.OutboxEntry(ctx, id); err != nil {
		return false, fmt.Errorf("store: claim outbox entry %d: %w", id, err)
	}
	return false, nil
}

// ReleaseOutbox ends owner's lease on the entry; a lease held by someone else (or none) is left as it is.
func (r *Repository) ReleaseOutbox(ctx context.Context, id int64, owner string) error {
	_, err := r.db.ExecContext(ctx, `
		UPDATE outbox SET lease_owner = '', lease_until = ''
		WHERE workspace_id = ? AND id = ? AND lease_owner = ?`, r.workspaceID, id, owner)
	if err != nil {
		return fmt.Errorf("store: release outbox entry %d: %w", id, err)
	}
	return nil
}
