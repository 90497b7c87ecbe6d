package invoicing

import "time"

// This file holds the outbox entries that make creating an invoice happen exactly once.

// OutboxState is the progress of an outbox entry.
type OutboxState string

// The outbox states, in the order an entry goes through them.
const (
	// OutboxQueued: stored; nothing of it is known to be in QuickBooks.
	OutboxQueued OutboxState = "queued"
	// OutboxCustomerDone: the customer exists (created or updated).
	OutboxCustomerDone OutboxState = "customer-done"
	// OutboxSent: the invoice exists in QuickBooks; the deal note is next.
	OutboxSent OutboxState = "sent"
	// OutboxDone: finished, the note written or not wanted.
	OutboxDone OutboxState = "done"
	// OutboxFailed: QuickBooks refused it (LastError says why); not retried.
	OutboxFailed OutboxState = "failed"
)

// OutboxEntry is one invoice on its way to QuickBooks. Adapters store the
// Draft as JSON (encoding/json round-trips it).
type OutboxEntry struct {
	ID     int64
	DealID int64
	Draft  Draft
	State  OutboxState
	// The request ids of the customer create or update and of the invoice
	// create, fixed when the entry is enqueued and reused by every retry.
	CustomerRequestID string
	InvoiceRequestID  string
	// Results of the steps done so far.
	CustomerID string
	InvoiceID  string
	NoteID     int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	LastError  string
}

// Pending reports whether the entry still has steps to run.
func (e OutboxEntry) Pending() bool {
	return e.State == OutboxQueued || e.State == OutboxCustomerDone || e.State == OutboxSent
}

// InQuickBooks reports whether the invoice exists in QuickBooks.
func (e OutboxEntry) InQuickBooks() bool {
	return e.State == OutboxSent || e.State == OutboxDone
}
