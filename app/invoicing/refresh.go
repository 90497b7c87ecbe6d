package invoicing

import (
	"context"
	"fmt"
	"time"
)

// cdcWindow is how far back QuickBooks' change data capture reaches.
const cdcWindow = 30 * 24 * time.Hour

// RefreshResult says what a refresh found.
type RefreshResult struct {
	// Changed counts the cached invoices that changed in QuickBooks.
	Changed int
	// Found counts the invoices teammates made that this refresh filed
	// under their deals for the first time.
	Found int
	// NewlyPaid and NewlyOverdue are the invoices that became Paid or
	// Overdue since the last refresh, for a notification.
	NewlyPaid    []HistoryItem
	NewlyOverdue []HistoryItem
	UpdatedAt    time.Time
}

// Refresh brings the cached invoices up to date with QuickBooks.
//
// When the last refresh is within QuickBooks' 30-day change window it costs
// one change-data-capture request however many invoices changed (plus one
// read of invoices whose payments changed but which were not in the answer
// themselves). Otherwise the cached invoices are read by id, in pages of up
// to 1,000. Invoices QuickBooks reports deleted, or no longer returns, are
// marked Deleted.
func (s *Service) Refresh(ctx context.Context) (RefreshResult, error) {
	cached, err := s.repo.Invoices(ctx, 0)
	if err != nil {
		return RefreshResult{}, fmt.Errorf("read cached invoices: %w", err)
	}
	st, err := s.repo.SyncState(ctx)
	if err != nil {
		return RefreshResult{}, fmt.Errorf("read sync state: %w", err)
	}
	// A rep of a team also looks for the invoices teammates made (their marker names this Pipedrive
	// company), so even a first refresh with nothing cached asks QuickBooks.
	rep, team := s.Rep(ctx)
	if len(cached) == 0 && !team {
		// Nothing to ask QuickBooks about: the last refresh time stays as it was, rather than claiming a
		// contact that never happened.
		return RefreshResult{UpdatedAt: st.InvoicesSyncedAt}, nil
	}
	company := int64(0)
	if team {
		company = rep.CompanyID
	}
	started := s.now()
	tracked := make(map[string]bool, len(cached))
	for _, ci := range cached {
		tracked[ci.Invoice.ID] = true
	}

	var (
		fresh map[string]Invoice
		found []Invoice
	)
	syncedAt := started
	since := st.InvoicesSyncedAt.Add(-syncMargin)
	switch {
	case !st.InvoicesSyncedAt.IsZero() && started.Sub(since) < cdcWindow:
		if fresh, found, syncedAt, err = s.changesSince(ctx, since, tracked, company); err != nil {
			return RefreshResult{}, err
		}
		if syncedAt.IsZero() {
			syncedAt = started
		}
	default:
		fresh = map[string]Invoice{}
		if len(cached) > 0 {
			if fresh, err = s.readTracked(ctx, cached); err != nil {
				return RefreshResult{}, err
			}
		}
		if team {
			// Teammates' invoices of the last 30 days (as far back as change data capture reaches) are
			// found by one more request; older ones can be linked from the deal's history (AdoptInvoices).
			changed, more, at, err := s.changesSince(ctx, started.Add(-cdcWindow+time.Hour), tracked, company)
			if err != nil {
				return RefreshResult{}, err
			}
			for id, inv := range changed {
				if _, have := fresh[id]; !have {
					fresh[id] = inv
				}
			}
			found = more
			if !at.IsZero() {
				syncedAt = at
			}
		}
	}

	res := s.applyRefresh(cached, fresh)
	if team {
		res.follow(company)
	}
	res.adopt(found, s.today(), s.now())
	if team {
		res.nameCreators(ctx, s, cached)
	}
	if err := s.repo.UpsertInvoices(ctx, res.updates); err != nil {
		return RefreshResult{}, fmt.Errorf("cache invoices: %w", err)
	}
	if team {
		if err := s.tellTeamChanges(ctx, cached, res.updates); err != nil {
			return RefreshResult{}, err
		}
	}
	if err := s.updateSyncState(ctx, func(st *SyncState) { st.InvoicesSyncedAt = syncedAt }); err != nil {
		return RefreshResult{}, err
	}
	res.UpdatedAt = syncedAt
	return res.RefreshResult, nil
}

// changesSince asks QuickBooks what changed since, keeping our invoices,
// and returns apart (found) the invoices not cached here whose marker names
// the Pipedrive company (0: none are looked for).
func (s *Service) changesSince(ctx context.Context, since time.Time, tracked map[string]bool, company int64) (map[string]Invoice, []Invoice, time.Time, error) {
	cs, err := s.acct.Changes(ctx, since)
	if err != nil {
		return nil, nil, time.Time{}, fmt.Errorf("read QuickBooks changes: %w", err)
	}
	fresh := map[string]Invoice{}
	var found []Invoice
	for _, inv := range cs.Invoices {
		switch {
		case tracked[inv.ID]:
			fresh[inv.ID] = inv
		case company != 0 && !inv.Deleted:
			if m, ok := ParseMarker(inv.PrivateNote); ok && m.CompanyID == company {
				found = append(found, inv)
			}
		}
	}
	// Payments change their invoices' balances; read the invoices the
	// answer did not already bring.
	var reread []string
	queued := map[string]bool{}
	for _, id := range cs.PaymentInvoiceIDs {
		if _, have := fresh[id]; tracked[id] && !have && !queued[id] {
			queued[id] = true
			reread = append(reread, id)
		}
	}
	if len(reread) > 0 {
		got, err := s.acct.InvoicesByIDs(ctx, reread)
		if err != nil {
			return nil, nil, time.Time{}, fmt.Errorf("read QuickBooks invoices: %w", err)
		}
		for _, inv := range got {
			fresh[inv.ID] = inv
		}
	}
	return fresh, found, cs.Time, nil
}

// readTracked reads every cached invoice not yet deleted by id; those
// QuickBooks no longer returns are deleted.
func (s *Service) readTracked(ctx context.Context, cached []CachedInvoice) (map[string]Invoice, error) {
	var ids []string
	for _, ci := range cached {
		if !ci.Invoice.Deleted {
			ids = append(ids, ci.Invoice.ID)
		}
	}
	got, err := s.acct.InvoicesByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read QuickBooks invoices: %w", err)
	}
	fresh := make(map[string]Invoice, len(ids))
	for _, id := range ids {
		fresh[id] = Invoice{ID: id, Deleted: true}
	}
	for _, inv := range got {
		fresh[inv.ID] = inv
	}
	return fresh, nil
}

type refreshOutcome struct {
	RefreshResult
	updates []CachedInvoice // the cached invoices to store again
}

// applyRefresh merges the fresh invoices into the cached ones and derives
// today's statuses, noting those newly paid or overdue.
func (s *Service) applyRefresh(cached []CachedInvoice, fresh map[string]Invoice) refreshOutcome {
	var out refreshOutcome
	today, now := s.today(), s.now()
	for _, ci := range cached {
		next := ci
		f, read := fresh[ci.Invoice.ID]
		// A deletion comes without a SyncToken, and again while it is within the change window.
		changed := read && (f.Deleted != ci.Invoice.Deleted || !f.Deleted && f.SyncToken != ci.Invoice.SyncToken)
		if changed {
			out.Changed++
		}
		if read {
			if f.Deleted {
				next.Invoice.Deleted = true
			} else {
				next.Invoice = f
			}
			next.FetchedAt = now
		}
		next.Status = next.Invoice.Status(today)
		if !read && next.Status == ci.Status {
			continue
		}
		out.updates = append(out.updates, next)
		item := HistoryItem{Invoice: next.Invoice, DealID: next.DealID, Status: next.Status, FetchedAt: next.FetchedAt}
		if next.Status.State == Paid && ci.Status.State != Paid {
			out.NewlyPaid = append(out.NewlyPaid, item)
		}
		if next.Status.Overdue && !ci.Status.Overdue {
			out.NewlyOverdue = append(out.NewlyOverdue, item)
		}
	}
	return out
}

// follow files a cached invoice under the deal its marker names now, when a
// teammate linked it to another deal (AdoptInvoices rewrites the marker).
func (o *refreshOutcome) follow(company int64) {
	for i, u := range o.updates {
		if m, ok := ParseMarker(u.Invoice.PrivateNote); ok && m.CompanyID == company && m.DealID != u.DealID {
			o.updates[i].DealID, o.updates[i].NoteID = m.DealID, 0
		}
	}
}

// adopt files the invoices teammates made under the deals their markers
// name, as AdoptInvoices would.
func (o *refreshOutcome) adopt(found []Invoice, today Date, now time.Time) {
	for _, inv := range found {
		m, _ := ParseMarker(inv.PrivateNote)
		o.updates = append(o.updates, CachedInvoice{Invoice: inv, DealID: m.DealID, Status: inv.Status(today), FetchedAt: now})
		o.Found++
	}
}

// nameCreators names who created each invoice to store, and each cached
// invoice not named yet (cached before names were kept, or when the users
// list could not be read), from the users list (kept a day).
func (o *refreshOutcome) nameCreators(ctx context.Context, s *Service, cached []CachedInvoice) {
	s.nameCreators(ctx, o.updates)
	updating := make(map[string]bool, len(o.updates))
	for _, u := range o.updates {
		updating[u.Invoice.ID] = true
	}
	var rest []CachedInvoice
	for _, ci := range cached {
		if !updating[ci.Invoice.ID] && ci.CreatedBy == "" {
			rest = append(rest, ci)
		}
	}
	for _, i := range s.nameCreators(ctx, rest) {
		o.updates = append(o.updates, rest[i])
	}
}

// tellTeamChanges updates the notes and deal fields of the invoices whose
// status changed since they were cached (or that a teammate made and that
// are no longer open), and caches what it learned of them.
func (s *Service) tellTeamChanges(ctx context.Context, cached, updates []CachedInvoice) error {
	before := make(map[string]Status, len(cached))
	for _, ci := range cached {
		before[ci.Invoice.ID] = ci.Status
	}
	var changed []CachedInvoice
	for _, ci := range updates {
		// A teammate's invoice found open needs nothing: its creator's app wrote the note and fields.
		if before[ci.Invoice.ID] != ci.Status {
			changed = append(changed, ci)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	learned := s.tellTeam(ctx, changed, false)
	var store []CachedInvoice
	for i, ci := range learned {
		if ci.NoteID != changed[i].NoteID || ci.LastChange != changed[i].LastChange {
			store = append(store, ci)
		}
	}
	if len(store) == 0 {
		return nil
	}
	if err := s.repo.UpsertInvoices(ctx, store); err != nil {
		return fmt.Errorf("cache invoices: %w", err)
	}
	return nil
}
