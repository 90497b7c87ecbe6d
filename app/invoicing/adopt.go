package invoicing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// This file links invoices made in QuickBooks by hand (or filed under another deal) to a deal, and shares
// that link with the team the way a created invoice is shared: the marker in the invoice's private note in
// QuickBooks (marker.go), the deal's one note for it, and the deal fields.

// UnknownInvoicesError: QuickBooks returned none of these invoices, because
// they do not exist or were deleted, so they cannot be linked to a deal.
// IDs names the ids asked for, Numbers the invoice numbers (DocNumber).
type UnknownInvoicesError struct {
	IDs     []string
	Numbers []string
}

func (e *UnknownInvoicesError) Error() string {
	if len(e.Numbers) > 0 {
		return "QuickBooks has no invoice numbered " + strings.Join(e.Numbers, ", ")
	}
	return "QuickBooks has no invoice " + strings.Join(e.IDs, ", ")
}

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *UnknownInvoicesError) Unwrap() error { return ErrNotFound }

// MaxAdoptCandidates is the most invoices AdoptCandidates lists.
const MaxAdoptCandidates = 50

// adoptScan is how many of the customers' newest invoices AdoptCandidates
// reads to find those without a marker (one query).
const adoptScan = 200

// AdoptCandidates are the invoices a deal could adopt.
type AdoptCandidates struct {
	// Invoices are the invoices of the customers linked to the deal's
	// organization or person that carry no Dealbooks marker, newest first,
	// at most MaxAdoptCandidates.
	Invoices []Invoice
	// NoCustomer: neither the deal's organization nor its person is linked
	// to a QuickBooks customer, so there is nothing to list (an invoice can
	// still be found by its number).
	NoCustomer bool
}

// AdoptCandidates lists the QuickBooks invoices the deal could adopt: those
// of the customers linked to its organization and person (on this computer
// or, for the organization, for the team) that no Dealbooks has filed under
// a deal. It asks QuickBooks once.
func (s *Service) AdoptCandidates(ctx context.Context, d Deal) (AdoptCandidates, error) {
	var ids []string
	for _, party := range []PartyRef{{Entity: EntityOrganization, ID: d.OrgID}, {Entity: EntityPerson, ID: d.PersonID}} {
		if party.ID == 0 {
			continue
		}
		links, err := s.repo.CustomerLinks(ctx, party)
		if err != nil {
			return AdoptCandidates{}, fmt.Errorf("read the customer links of %s %d: %w", party.Entity, party.ID, err)
		}
		for _, l := range links {
			if l.CustomerID != "" && !slices.Contains(ids, l.CustomerID) {
				ids = append(ids, l.CustomerID)
			}
		}
		if t, ok := s.team(); ok && party.Entity == EntityOrganization {
			// The team's link counts too; out of reach, the links on this computer do.
			id, shared, err := t.SharedCustomer(ctx, party.ID)
			if err != nil && !errors.Is(err, ErrOffline) {
				return AdoptCandidates{}, fmt.Errorf("read the customer of Pipedrive organization %d: %w", party.ID, err)
			}
			if shared && id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return AdoptCandidates{NoCustomer: true}, nil
	}
	got, err := s.acct.CustomerInvoices(ctx, ids, adoptScan)
	if err != nil {
		return AdoptCandidates{}, fmt.Errorf("read the customers' QuickBooks invoices: %w", err)
	}
	out := AdoptCandidates{Invoices: []Invoice{}}
	for _, inv := range got {
		if _, marked := ParseMarker(inv.PrivateNote); marked || inv.Deleted {
			continue
		}
		if len(out.Invoices) == MaxAdoptCandidates {
			break
		}
		out.Invoices = append(out.Invoices, inv)
	}
	return out, nil
}

// InvoicesByNumber finds invoices by their numbers (DocNumber), of any
// customer. Numbers are trimmed; empty ones are ignored. When QuickBooks
// has no invoice for one of them the error is an *UnknownInvoicesError
// naming the numbers. Two invoices can share a number (when the company
// does not check for duplicates): both are returned.
func (s *Service) InvoicesByNumber(ctx context.Context, numbers []string) ([]Invoice, error) {
	var want []string
	for _, n := range numbers {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(want, n) {
			want = append(want, n)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	got, err := s.acct.InvoicesByNumber(ctx, want)
	if err != nil {
		return nil, fmt.Errorf("find QuickBooks invoices by number: %w", err)
	}
	var unknown []string
	for _, n := range want {
		if !slices.ContainsFunc(got, func(inv Invoice) bool { return inv.DocNumber == n && !inv.Deleted }) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownInvoicesError{Numbers: unknown}
	}
	return got, nil
}

// AdoptInvoices links invoices that already exist in QuickBooks to the deal
// and tells the team, as for an invoice Dealbooks created:
//
//   - the invoice's private note in QuickBooks gets the Dealbooks marker
//     naming this deal (a sparse update that keeps the rest of the note), so
//     every rep's refresh files it under the deal. An invoice whose marker
//     names this deal already is not written again; one whose marker names
//     another deal moves to this one.
//   - it is cached for the deal, so it shows in the deal's history and among
//     all invoices with its status, and refreshes follow it.
//   - the deal gets its note for it when the preferences want notes: an
//     existing note linking to the invoice is rewritten, never a second one
//     added; and the chosen deal fields are set (for the deal an invoice
//     moved from too).
//
// Without a signed-in Pipedrive rep (no TeamCRM) no marker is written.
// When QuickBooks does not return one of the ids, nothing is linked and the
// error is an *UnknownInvoicesError naming them.
func (s *Service) AdoptInvoices(ctx context.Context, dealID int64, invoiceIDs []string) error {
	got, err := s.readForAdoption(ctx, dealID, invoiceIDs)
	if err != nil || len(got) == 0 {
		return err
	}
	me, team := s.Rep(ctx)
	// linked marks the invoices this rep filed under the deal now (not those already there).
	linked := make(map[string]bool, len(got))
	if team {
		for i, inv := range got {
			next, wrote, err := s.markForDeal(ctx, inv, Marker{CompanyID: me.CompanyID, DealID: dealID})
			if err != nil {
				return err
			}
			got[i], linked[inv.ID] = next, wrote
		}
	}
	adopted, moved, err := s.cacheAdopted(ctx, dealID, got, func(ci *CachedInvoice) {
		if ci.CreatedBy == "" {
			ci.CreatedBy = s.markedCreator(ctx, ci.Invoice)
		}
		if linked[ci.Invoice.ID] && me.Name != "" {
			ci.LastChange = Change{Action: ChangeLinked, By: me.Name}
		}
	})
	if err != nil {
		return err
	}
	return s.noteAdopted(ctx, dealID, adopted, moved)
}

// AdoptInvoicesLocally links invoices that exist in QuickBooks to the deal
// on this computer only: it caches them for the deal, writing nothing to
// QuickBooks or Pipedrive. The demo workspace fills its history with it.
func (s *Service) AdoptInvoicesLocally(ctx context.Context, dealID int64, invoiceIDs []string) error {
	got, err := s.readForAdoption(ctx, dealID, invoiceIDs)
	if err != nil || len(got) == 0 {
		return err
	}
	_, _, err = s.cacheAdopted(ctx, dealID, got, func(*CachedInvoice) {})
	return err
}

// readForAdoption reads the invoices to adopt, all or none.
func (s *Service) readForAdoption(ctx context.Context, dealID int64, invoiceIDs []string) ([]Invoice, error) {
	if dealID <= 0 {
		return nil, fmt.Errorf("link invoices: no deal %d", dealID)
	}
	if len(invoiceIDs) == 0 {
		return nil, nil
	}
	got, err := s.acct.InvoicesByIDs(ctx, invoiceIDs)
	if err != nil {
		return nil, fmt.Errorf("read QuickBooks invoices: %w", err)
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
		return nil, &UnknownInvoicesError{IDs: unknown}
	}
	return got, nil
}

// markForDeal writes the marker naming want's company and deal into the
// invoice's private note, keeping the rest of the note and the marker's
// creator; wrote is false when the marker named that deal already. An
// invoice changed in QuickBooks between the read and the write (ErrStale) is
// read once more and its marker looked at again: a teammate linking it at
// the same moment leaves one write.
func (s *Service) markForDeal(ctx context.Context, inv Invoice, want Marker) (Invoice, bool, error) {
	for attempt := 0; ; attempt++ {
		m, ok := ParseMarker(inv.PrivateNote)
		if ok && m.CompanyID == want.CompanyID && m.DealID == want.DealID {
			return inv, false, nil
		}
		next := want
		if ok && m.CompanyID == want.CompanyID {
			next.RepID = m.RepID // moved: who created it stays named
		}
		rid, err := newRequestID()
		if err != nil {
			return Invoice{}, false, err
		}
		written, err := s.acct.UpdateInvoiceNote(ctx, inv.ID, inv.SyncToken, replaceMarker(inv.PrivateNote, next), rid)
		if errors.Is(err, ErrStale) && attempt == 0 {
			again, err := s.acct.Invoice(ctx, inv.ID)
			if err != nil {
				return Invoice{}, false, fmt.Errorf("read QuickBooks invoice %s again: %w", inv.DocNumber, err)
			}
			inv = again
			continue
		}
		if err != nil {
			return Invoice{}, false, fmt.Errorf("mark QuickBooks invoice %s for deal %d: %w", inv.DocNumber, want.DealID, err)
		}
		return written, true, nil
	}
}

// cacheAdopted caches the invoices for the deal, each as set by fill. A
// note written for the invoice on this deal is kept; moved names the deals
// the invoices were cached under before, other than this one.
func (s *Service) cacheAdopted(ctx context.Context, dealID int64, got []Invoice, fill func(*CachedInvoice)) ([]CachedInvoice, []int64, error) {
	all, err := s.repo.Invoices(ctx, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("read cached invoices: %w", err)
	}
	now, today := s.now(), s.today()
	adopted := make([]CachedInvoice, len(got))
	var moved []int64
	for i, inv := range got {
		ci := CachedInvoice{Invoice: inv, DealID: dealID, Status: inv.Status(today), FetchedAt: now}
		if j := slices.IndexFunc(all, func(c CachedInvoice) bool { return c.Invoice.ID == inv.ID }); j >= 0 {
			was := all[j]
			ci.CreatedBy, ci.LastChange = was.CreatedBy, was.LastChange
			if was.DealID == dealID {
				ci.NoteID = was.NoteID // the note belongs to the deal it was written on
			} else if was.DealID != 0 && !slices.Contains(moved, was.DealID) {
				moved = append(moved, was.DealID)
			}
		}
		fill(&ci)
		adopted[i] = ci
	}
	if err := s.repo.UpsertInvoices(ctx, adopted); err != nil {
		return nil, nil, fmt.Errorf("cache invoices: %w", err)
	}
	return adopted, moved, nil
}

// noteAdopted gives the deal its note for each adopted invoice, when the
// preferences want notes, and sets the deal fields of the deal and of the
// deals the invoices moved from. A note is found before one is added: the
// invoice's known note, else a note on the deal linking to the invoice (a
// teammate's, or one whose answer was lost); only then is one added, so a
// repeated adoption never leaves a second note.
func (s *Service) noteAdopted(ctx context.Context, dealID int64, adopted []CachedInvoice, moved []int64) error {
	p, err := s.preferences(ctx)
	if err != nil {
		return err
	}
	t, team := s.team()
	if p.WriteNote {
		var store []CachedInvoice
		for _, ci := range adopted {
			url := s.acct.InvoiceURL(ci.Invoice.ID)
			content := noteHTML(ci.Invoice, url)
			if team {
				content = statusNote(ci.Invoice, ci.Status, url, s.creator(ctx, ci), ci.LastChange)
			}
			current, read := "", false
			if ci.NoteID == 0 {
				n, found, err := s.findNote(ctx, dealID, url)
				if err != nil {
					return err
				}
				if found {
					ci.NoteID, current, read = n.ID, n.HTML, true
					store = append(store, ci)
				}
			}
			switch {
			case ci.NoteID == 0:
				id, err := s.crm.AddNote(ctx, dealID, content)
				if err != nil {
					return fmt.Errorf("write note on Pipedrive deal %d: %w", dealID, err)
				}
				ci.NoteID = id
				store = append(store, ci)
			case team && !(read && current == content):
				if err := t.UpdateNote(ctx, ci.NoteID, content); err != nil {
					return fmt.Errorf("rewrite note %d on Pipedrive deal %d: %w", ci.NoteID, dealID, err)
				}
			}
		}
		if len(store) > 0 {
			if err := s.repo.UpsertInvoices(ctx, store); err != nil {
				return fmt.Errorf("cache invoices: %w", err)
			}
		}
	}
	if !team {
		return nil
	}
	// The fields are best effort, as for a created invoice: a failed write is left for the next change.
	_ = s.writeDealFields(ctx, t, p.DealFields, dealID, adopted)
	for _, id := range moved {
		_ = s.writeDealFields(ctx, t, p.DealFields, id, nil)
	}
	return nil
}
