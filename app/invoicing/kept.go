package invoicing

import (
	"context"
	"errors"
	"time"
)

// KeptCopies are the offline copies (deals, invoices, links, drafts) of an account pair that the rep kept
// when disconnecting: still readable, without either connection, until the rep deletes them.
type KeptCopies struct {
	Pair AccountPair
	// Pipedrive and QuickBooks name the companies the copies came from.
	Pipedrive  string
	QuickBooks string
	// KeptAt is when the pair was disconnected.
	KeptAt time.Time
}

// KeptAccounts is what an Accounts implementation that keeps offline copies readable offers besides
// Accounts: a read-only service over the kept copies, and deleting them.
type KeptAccounts interface {
	// KeptService opens the kept copies read-only: listing deals and invoices works, anything that needs
	// Pipedrive or QuickBooks answers ErrOffline, and nothing is queued. ok is false when none are kept.
	KeptService(ctx context.Context) (svc *Service, kept KeptCopies, ok bool, err error)
	// DeleteKept deletes the kept copies. It refuses with an error wrapping ErrUnsentInvoices while
	// invoices of the pair still wait to be sent.
	DeleteKept(ctx context.Context) error
}

// ErrReadOnly: the kept copies of a disconnected account pair are for reading; connect again to change them.
var ErrReadOnly = errors.New("the kept offline copies are read-only; connect the accounts again to work on them")
