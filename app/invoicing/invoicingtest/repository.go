// Package invoicingtest holds in-memory ports for tests.
package invoicingtest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"dealbooks/app/invoicing"
)

// Repository is an in-memory invoicing.Repository, enough to run the Service in tests. What it does not
// hold it reports as invoicing.ErrNotFound, as the port's contract says; it is safe for concurrent use.
type Repository struct {
	mu        sync.Mutex
	prefs     *invoicing.Preferences
	company   *invoicing.Company
	sync      invoicing.SyncState
	links     []invoicing.CustomerLink
	itemLinks map[int64]string
	deals     map[int64]invoicing.Deal
	invoices  map[string]invoicing.CachedInvoice
	outbox    []invoicing.OutboxEntry
	drafts    map[int64]invoicing.Draft
	leases    map[int64]memLease
}

// memLease is who holds an outbox entry, and until when.
type memLease struct {
	owner string
	until time.Time
}

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{itemLinks: map[int64]string{}, deals: map[int64]invoicing.Deal{},
		invoices: map[string]invoicing.CachedInvoice{}, drafts: map[int64]invoicing.Draft{}}
}

var _ invoicing.Repository = (*Repository)(nil)

// notFound wraps invoicing.ErrNotFound with what was asked for.
func notFound(what string, id any) error {
	return fmt.Errorf("%s %v: %w", what, id, invoicing.ErrNotFound)
}

func (r *Repository) Preferences(context.Context) (invoicing.Preferences, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.prefs == nil {
		return invoicing.Preferences{}, notFound("preferences", "")
	}
	return *r.prefs, nil
}

func (r *Repository) SavePreferences(_ context.Context, p invoicing.Preferences) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prefs = &p
	return nil
}

func (r *Repository) Company(context.Context) (invoicing.Company, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.company == nil {
		return invoicing.Company{}, notFound("company", "")
	}
	return *r.company, nil
}

func (r *Repository) SaveCompany(_ context.Context, c invoicing.Company) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.company = &c
	return nil
}

func (r *Repository) SyncState(context.Context) (invoicing.SyncState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sync, nil
}

func (r *Repository) SaveSyncState(_ context.Context, s invoicing.SyncState) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync = s
	return nil
}

func (r *Repository) CustomerLinks(_ context.Context, p invoicing.PartyRef) ([]invoicing.CustomerLink, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []invoicing.CustomerLink
	for _, l := range r.links {
		if l.Party == p {
			out = append(out, l)
		}
	}
	return out, nil
}

func (r *Repository) SaveCustomerLink(ctx context.Context, l invoicing.CustomerLink) error {
	_ = r.DeleteCustomerLink(ctx, l.Party, l.Currency)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.links = append(r.links, l)
	return nil
}

func (r *Repository) DeleteCustomerLink(_ context.Context, p invoicing.PartyRef, currency string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.links = slices.DeleteFunc(r.links, func(l invoicing.CustomerLink) bool { return l.Party == p && l.Currency == currency })
	return nil
}

func (r *Repository) ItemLinks(context.Context) (map[int64]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int64]string{}
	for k, v := range r.itemLinks {
		out[k] = v
	}
	return out, nil
}

func (r *Repository) SaveItemLink(_ context.Context, productID int64, itemID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.itemLinks[productID] = itemID
	return nil
}

func (r *Repository) UpsertDeals(_ context.Context, deals []invoicing.Deal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range deals {
		r.deals[d.ID] = d
	}
	return nil
}

func (r *Repository) Deals(_ context.Context, q invoicing.DealQuery) ([]invoicing.Deal, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := strings.ToLower(q.Text)
	var out []invoicing.Deal
	for _, d := range r.deals {
		if (len(q.Statuses) == 0 || slices.Contains(q.Statuses, d.Status)) && (q.OwnerID == 0 || d.OwnerID == q.OwnerID) &&
			strings.Contains(strings.ToLower(d.Title+"\n"+d.OrgName+"\n"+d.PersonName), text) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b invoicing.Deal) int {
		return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(a.ID, b.ID))
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (r *Repository) UpsertInvoices(_ context.Context, invs []invoicing.CachedInvoice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ci := range invs {
		r.invoices[ci.Invoice.ID] = ci
	}
	return nil
}

func (r *Repository) Invoices(_ context.Context, dealID int64) ([]invoicing.CachedInvoice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []invoicing.CachedInvoice
	for _, ci := range r.invoices {
		if dealID == 0 || ci.DealID == dealID {
			out = append(out, ci)
		}
	}
	slices.SortFunc(out, func(a, b invoicing.CachedInvoice) int { return cmp.Compare(a.Invoice.ID, b.Invoice.ID) })
	return out, nil
}

func (r *Repository) Invoice(_ context.Context, id string) (invoicing.CachedInvoice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ci, ok := r.invoices[id]
	if !ok {
		return invoicing.CachedInvoice{}, notFound("invoice", id)
	}
	return ci, nil
}

func (r *Repository) Enqueue(_ context.Context, e invoicing.OutboxEntry) (invoicing.OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.ID = int64(len(r.outbox) + 1)
	r.outbox = append(r.outbox, e)
	return e, nil
}

func (r *Repository) OutboxEntry(_ context.Context, id int64) (invoicing.OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id < 1 || id > int64(len(r.outbox)) {
		return invoicing.OutboxEntry{}, notFound("outbox entry", id)
	}
	return r.outbox[id-1], nil
}

func (r *Repository) UpdateOutbox(_ context.Context, e invoicing.OutboxEntry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.ID < 1 || e.ID > int64(len(r.outbox)) {
		return notFound("outbox entry", e.ID)
	}
	r.outbox[e.ID-1] = e
	return nil
}

func (r *Repository) ClaimOutbox(_ context.Context, id int64, owner string, now, until time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id < 1 || id > int64(len(r.outbox)) {
		return false, notFound("outbox entry", id)
	}
	if l, ok := r.leases[id]; ok && l.owner != owner && now.Before(l.until) {
		return false, nil
	}
	if r.leases == nil {
		r.leases = map[int64]memLease{}
	}
	r.leases[id] = memLease{owner, until}
	return true, nil
}

func (r *Repository) ReleaseOutbox(_ context.Context, id int64, owner string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.leases[id].owner == owner {
		delete(r.leases, id)
	}
	return nil
}

func (r *Repository) PendingOutbox(context.Context) ([]invoicing.OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []invoicing.OutboxEntry
	for _, e := range r.outbox {
		if e.Pending() {
			out = append(out, e)
		}
	}
	return out, nil
}

func (r *Repository) SaveDraft(_ context.Context, d invoicing.Draft) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.drafts[d.DealID] = d
	return nil
}

func (r *Repository) Draft(_ context.Context, dealID int64) (invoicing.Draft, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.drafts[dealID]
	if !ok {
		return invoicing.Draft{}, notFound("draft of deal", dealID)
	}
	return d, nil
}

func (r *Repository) DeleteDraft(_ context.Context, dealID int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.drafts, dealID)
	return nil
}
