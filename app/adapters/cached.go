package adapters

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// Kinds of reference data, as the ReferenceStore files them.
const (
	KindPipedriveFields = "pipedrive.fields"
	KindPipedriveUsers  = "pipedrive.users"
	KindCompany         = "quickbooks.company"
	KindItems           = "quickbooks.items"
	KindTaxCodes        = "quickbooks.taxcodes"
	KindTerms           = "quickbooks.terms"
	// KindProductCodes is the catalogue codes (SKUs) kept with a deal's products (see dealContent): a
	// code changes on the catalogue product, which leaves the deal's update_time alone.
	KindProductCodes = "pipedrive.productcodes"
)

// Lifetimes says how long each kind of reference data is used before it is read again: the one place
// that says so. Field definitions, the company (CompanyInfo and Preferences) and users change rarely and
// cost the most to read (30 Pipedrive tokens for the three field lists); items, tax codes and terms are
// what a rep may just have added in QuickBooks, so they live an hour, as do the product codes matched
// against the items. A deal's products and discounts are kept for as long as the deal's update_time is
// unchanged (dealcontent.go). A 4xx saying one is gone drops it
// sooner (see CachedAccounting.CreateInvoice). QuickBooks' customer list is not cached at all: see
// NewCachedAccounting.
var Lifetimes = map[string]time.Duration{
	KindPipedriveFields: 24 * time.Hour,
	KindPipedriveUsers:  24 * time.Hour,
	KindCompany:         24 * time.Hour,
	KindItems:           time.Hour,
	KindTaxCodes:        time.Hour,
	KindTerms:           time.Hour,
	KindProductCodes:    time.Hour,
}

// ReferenceStore keeps reference data between runs: the account pair's offline store (store.Repository)
// implements it. A kind never saved is invoicing.ErrNotFound.
type ReferenceStore interface {
	Reference(ctx context.Context, kind string) (body []byte, fetchedAt time.Time, err error)
	SaveReference(ctx context.Context, kind string, body []byte, fetchedAt time.Time) error
	DeleteReference(ctx context.Context, kind string) error
}

// ReferenceCache reads reference data through a ReferenceStore, using what it holds while it is younger
// than its kind's lifetime and reading it afresh otherwise. It is safe for concurrent use.
type ReferenceCache struct {
	store ReferenceStore
	now   func() time.Time
}

// NewReferenceCache returns a cache over store; now nil means time.Now.
func NewReferenceCache(store ReferenceStore, now func() time.Time) *ReferenceCache {
	if now == nil {
		now = time.Now
	}
	return &ReferenceCache{store: store, now: now}
}

// Forget drops the kinds given, so their next use reads them afresh.
func (c *ReferenceCache) Forget(ctx context.Context, kinds ...string) error {
	for _, k := range kinds {
		if err := c.store.DeleteReference(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// cached returns the kind's stored value while it is fresh, else read's answer, which it stores. When
// read finds the provider out of reach, a stored value past its lifetime is still better than none and
// is returned. A store that fails to read or write, or holds text that no longer decodes, only costs a
// read: the cache is never the reason a use case fails.
func cached[T any](ctx context.Context, c *ReferenceCache, kind string, read func(context.Context) (T, error)) (T, error) {
	body, fetched, serr := c.store.Reference(ctx, kind)
	var stored T
	have := serr == nil && json.Unmarshal(body, &stored) == nil
	if age := c.now().Sub(fetched); have && age >= 0 && age < Lifetimes[kind] {
		return stored, nil
	}
	v, err := read(ctx)
	switch {
	case errors.Is(err, invoicing.ErrOffline) && have:
		return stored, nil
	case err != nil:
		return v, err
	}
	c.save(ctx, kind, v)
	return v, nil
}

// save stores v under kind, fetched now. A failure is not passed on: the value was read, and the next
// use reads it again.
func (c *ReferenceCache) save(ctx context.Context, kind string, v any) {
	if body, err := json.Marshal(v); err == nil {
		_ = c.store.SaveReference(ctx, kind, body, c.now())
	}
}

// CachedAccounting is invoicing.Accounting with the company, items, tax codes and terms kept in a
// ReferenceCache. Every other method goes straight to the wrapped adapter.
type CachedAccounting struct {
	invoicing.Accounting
	cache *ReferenceCache
}

// NewCachedAccounting wraps acct.
//
// Customers are not cached: matching before a new customer is created and the SyncToken of an update both need the current list.
func NewCachedAccounting(acct invoicing.Accounting, cache *ReferenceCache) *CachedAccounting {
	return &CachedAccounting{Accounting: acct, cache: cache}
}

var _ invoicing.Accounting = (*CachedAccounting)(nil)

// Company returns CompanyInfo and Preferences, read at most once a lifetime.
func (a *CachedAccounting) Company(ctx context.Context) (invoicing.Company, error) {
	return cached(ctx, a.cache, KindCompany, a.Accounting.Company)
}

// Items returns the active items, read at most once a lifetime.
func (a *CachedAccounting) Items(ctx context.Context) ([]invoicing.Item, error) {
	return cached(ctx, a.cache, KindItems, a.Accounting.Items)
}

// TaxCodes returns the active tax codes with their rates, read at most once a lifetime.
func (a *CachedAccounting) TaxCodes(ctx context.Context) ([]invoicing.TaxCode, error) {
	return cached(ctx, a.cache, KindTaxCodes, a.Accounting.TaxCodes)
}

// Terms returns the active payment terms, read at most once a lifetime.
func (a *CachedAccounting) Terms(ctx context.Context) ([]invoicing.Term, error) {
	return cached(ctx, a.cache, KindTerms, a.Accounting.Terms)
}

// CreateInvoice creates the invoice. When QuickBooks refuses it because an item, tax code or term it
// names is gone or inactive (fault 2500 Invalid Reference Id, or 610 Object Not Found), the cached list
// of that kind (all three when the fault does not say which) is dropped, so the next draft offers only
// what QuickBooks has. The request is not repeated: it names the same reference and would fail alike.
func (a *CachedAccounting) CreateInvoice(ctx context.Context, inv invoicing.InvoiceRequest, requestID string) (invoicing.Invoice, error) {
	got, err := a.Accounting.CreateInvoice(ctx, inv, requestID)
	if kinds := staleReferences(err); len(kinds) > 0 {
		if ferr := a.cache.Forget(ctx, kinds...); ferr != nil {
			return got, fmt.Errorf("%w (and forgetting the reference data it names failed: %v)", err, ferr)
		}
	}
	return got, err
}

// staleReferences returns the kinds of reference data a QuickBooks refusal says are out of date.
func staleReferences(err error) []string {
	var pe *invoicing.ProviderError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && pe.Provider == providerQuickBooks && pe.Code == "2500":
	case errors.Is(err, invoicing.ErrNotFound):
	default:
		return nil
	}
	msg := err.Error()
	var kinds []string
	for ref, kind := range map[string]string{"ItemRef": KindItems, "TaxCodeRef": KindTaxCodes, "SalesTermRef": KindTerms} {
		if strings.Contains(msg, ref) {
			kinds = append(kinds, kind)
		}
	}
	if len(kinds) == 0 && !strings.Contains(msg, "CustomerRef") {
		kinds = []string{KindItems, KindTaxCodes, KindTerms}
	}
	return kinds
}

// CachedCRM is invoicing.CRM with the users and the field definitions kept in a ReferenceCache: Users
// directly, the field definitions through the Pipedrive adapter, which reads them for every deal bundle.
type CachedCRM struct {
	*Pipedrive
}

// NewCachedCRM has p keep its field definitions in cache and wraps it to keep the users there too.
func NewCachedCRM(p *Pipedrive, cache *ReferenceCache) *CachedCRM {
	p.mu.Lock()
	p.refs = cache
	p.mu.Unlock()
	return &CachedCRM{Pipedrive: p}
}

var _ invoicing.CRM = (*CachedCRM)(nil)

// Users returns the Pipedrive users, read at most once a lifetime.
func (c *CachedCRM) Users(ctx context.Context) ([]invoicing.Owner, error) {
	c.mu.Lock()
	refs := c.refs
	c.mu.Unlock()
	return cached(ctx, refs, KindPipedriveUsers, c.Pipedrive.Users)
}

// rawFields are the three lists of field definitions as Pipedrive sent them, as the cache keeps them.
type rawFields struct {
	Deal, Organization, Person []pipedrive.Field
}
