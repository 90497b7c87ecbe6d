package invoicing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Config wires a Service to its ports.
type Config struct {
	CRM        CRM
	Accounting Accounting
	Repository Repository
	Files      FileCache
	// Now returns the current time; nil means time.Now. Today's date is
	// taken in the location of the time it returns.
	Now func() time.Time
}

// Service does every use case of Dealbooks for one account pair: deals,
// drafts, customers, preferences, creating invoices exactly once, history,
// refresh and invoice actions. Its methods are safe for concurrent use and
// block on the network, so the UI calls them off its own goroutine.
type Service struct {
	crm   CRM
	acct  Accounting
	repo  Repository
	files FileCache
	now   func() time.Time

	// outboxMu makes outbox entries run one at a time, so a Resume and a
	// CreateInvoice never work on the same entry together. Other processes
	// are kept off an entry by its lease in the Repository, held by owner.
	outboxMu sync.Mutex
	owner    string

	// syncMu serialises changes to the SyncState, so a deals refresh and
	// an invoice refresh do not undo each other's.
	syncMu sync.Mutex

	// storedCompanyMu serialises changes to the stored Company, so the
	// company and the tax codes read at once do not undo each other's.
	storedCompanyMu sync.Mutex

	mu        sync.Mutex // guards the reference data below
	company   *Company
	items     []Item
	taxCodes  []TaxCode
	terms     []Term
	customers []QBCustomer
	owners    []Owner // nil until read
	rep       *Rep    // the signed-in Pipedrive user; nil until read (team.go)
}

// NewService returns a Service over the ports in c.
func NewService(c Config) *Service {
	now := c.Now
	if now == nil {
		now = time.Now
	}
	return &Service{crm: c.CRM, acct: c.Accounting, repo: c.Repository, files: c.Files, now: now, owner: newOwner()}
}

// newOwner returns the token that names this Service in outbox leases:
// random, so two processes (or two Services in one) never share one.
func newOwner() string { return "svc-" + rand.Text() }

func (s *Service) today() Date { return DateOf(s.now()) }

// newRequestID returns a fresh QuickBooks requestid: 36 characters, random.
func newRequestID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make request id: %w", err)
	}
	return "dbk-" + hex.EncodeToString(b), nil
}

// Company returns the QuickBooks company, read once per Service and kept
// in the Repository, so drafts still validate offline.
func (s *Service) Company(ctx context.Context) (Company, error) {
	s.mu.Lock()
	known := s.company
	s.mu.Unlock()
	if known != nil {
		return *known, nil
	}
	c, err := s.acct.Company(ctx)
	switch {
	case errors.Is(err, ErrOffline):
		stored, serr := s.repo.Company(ctx)
		if serr != nil {
			return Company{}, fmt.Errorf("read QuickBooks company: %w", err)
		}
		return stored, nil
	case err != nil:
		return Company{}, fmt.Errorf("read QuickBooks company: %w", err)
	}
	if err := s.saveCompany(ctx, c); err != nil {
		return Company{}, fmt.Errorf("store QuickBooks company: %w", err)
	}
	s.mu.Lock()
	s.company = &c
	s.mu.Unlock()
	return c, nil
}

// Items returns QuickBooks' items, read once per Service.
func (s *Service) Items(ctx context.Context) ([]Item, error) {
	return loadOnce(ctx, s, &s.items, s.acct.Items, "read QuickBooks items")
}

// TaxCodes returns QuickBooks' tax codes, read once per Service. Offline
// it returns the codes last read, if any (see knownTaxCodes).
func (s *Service) TaxCodes(ctx context.Context) ([]TaxCode, error) {
	codes, err := loadOnce(ctx, s, &s.taxCodes, s.acct.TaxCodes, "read QuickBooks tax codes")
	return s.knownTaxCodes(ctx, codes, err)
}

// Terms returns QuickBooks' payment terms, read once per Service. Offline
// the error wraps ErrOffline; the editor then offers no terms.
func (s *Service) Terms(ctx context.Context) ([]Term, error) {
	return loadOnce(ctx, s, &s.terms, s.acct.Terms, "read QuickBooks terms")
}

// customerList returns QuickBooks' customers, read once per Service and
// kept up to date with the customers the Service creates or updates.
func (s *Service) customerList(ctx context.Context) ([]QBCustomer, error) {
	return loadOnce(ctx, s, &s.customers, s.acct.Customers, "read QuickBooks customers")
}

// ReloadQuickBooks forgets the company, items, tax codes, terms and
// customers read so far; the next use reads them again.
func (s *Service) ReloadQuickBooks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.company, s.items, s.taxCodes, s.terms, s.customers = nil, nil, nil, nil, nil
}

// loadOnce returns *cache, filling it with load when it is still nil.
func loadOnce[T any](ctx context.Context, s *Service, cache *[]T, load func(context.Context) ([]T, error), what string) ([]T, error) {
	s.mu.Lock()
	got := *cache
	s.mu.Unlock()
	if got != nil {
		return got, nil
	}
	got, err := load(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if got == nil {
		got = []T{}
	}
	s.mu.Lock()
	*cache = got
	s.mu.Unlock()
	return got, nil
}

// rememberCustomer puts c into the customer list read so far, replacing
// the entry with its id. The list is copied, not changed in place: callers
// may still be reading the old one.
func (s *Service) rememberCustomer(c QBCustomer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.customers == nil {
		return
	}
	list := slices.DeleteFunc(slices.Clone(s.customers), func(x QBCustomer) bool { return x.ID == c.ID })
	s.customers = append(list, c)
}

// preferences returns the saved preferences or, when none were saved, the defaults with QuickBooks' own
// default item, so a first invoice needs no trip to the preferences screen.
func (s *Service) preferences(ctx context.Context) (Preferences, error) {
	p, err := s.repo.Preferences(ctx)
	if errors.Is(err, ErrNotFound) {
		p = DefaultPreferences()
		if c, err := s.Company(ctx); err == nil {
			p.DefaultItemID = c.DefaultItemID
		}
		return p, nil
	}
	if err != nil {
		return Preferences{}, fmt.Errorf("read preferences: %w", err)
	}
	return p, nil
}

// updateSyncState changes the stored SyncState with change.
func (s *Service) updateSyncState(ctx context.Context, change func(*SyncState)) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	st, err := s.repo.SyncState(ctx)
	if err != nil {
		return fmt.Errorf("read sync state: %w", err)
	}
	change(&st)
	if err := s.repo.SaveSyncState(ctx, st); err != nil {
		return fmt.Errorf("save sync state: %w", err)
	}
	return nil
}
