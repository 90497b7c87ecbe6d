package invoicing

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// UnknownInvoicesError: QuickBooks returned none of these invoices, because
// they do not exist or were deleted, so they cannot be linked to a deal.
type UnknownInvoicesError struct {
	IDs []string
}

func (e *UnknownInvoicesError) Error() string {
	return "QuickBooks has no invoice " + strings.Join(e.IDs, ", ")
}

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *UnknownInvoicesError) Unwrap() error { return ErrNotFound }

// AdoptInvoices links invoices that already exist in QuickBooks to the deal:
// it reads them by id and keeps them in the cache for the deal, so they show
// in its history and among all invoices with their status, and refreshes
// follow them. An invoice already cached for another deal moves to this one.
// When QuickBooks does not return one of the ids, nothing is linked and the
// error is an *UnknownInvoicesError naming them.
func (s *Service) AdoptInvoices(ctx context.Context, dealID int64, invoiceIDs []string) error {
	if dealID <= 0 {
		return fmt.Errorf("link invoices: no deal %d", dealID)
	}
	if len(invoiceIDs) == 0 {
		return nil
	}
	got, err := s.acct.InvoicesByIDs(ctx, invoiceIDs)
	if err != nil {
		return fmt.Errorf("read QuickBooks invoices: %w", err)
	}
	returned := make(map[string]bool, len(got))
	for _, inv := range got {
		returned[inv.ID] = true
	}
	var unknown []string
	for _, id := range invoiceIDs {
		if !returned[id] && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return &UnknownInvoicesError{IDs: unknown}
	}
	// The deal's own invoices keep the note written for them.
	known, err := s.repo.Invoices(ctx, dealID)
	if err != nil {
		return fmt.Errorf("read cached invoices: %w", err)
	}
	notes := make(map[string]int64, len(known))
	for _, ci := range known {
		notes[ci.Invoice.ID] = ci.NoteID
	}
	now, today := s.now(), s.today()
	adopted := make([]CachedInvoice, len(got))
	for i, inv := range got {
		adopted[i] = CachedInvoice{Invoice: inv, DealID: dealID, Status: inv.Status(today), NoteID: notes[inv.ID], FetchedAt: now}
	}
	if err := s.repo.UpsertInvoices(ctx, adopted); err != nil {
		return fmt.Errorf("cache invoices: %w", err)
	}
	return nil
}
