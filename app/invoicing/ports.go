package invoicing

import (
	"context"
	"io"
	"time"
)

// This file defines the ports: the interfaces through which the Service
// reaches Pipedrive (CRM), QuickBooks (Accounting), the local database
// (Repository) and the file cache (FileCache). Adapters implement them over
// the API clients and the SQLite store. Every method that can fail returns
// the errors of errors.go where the Service decides on them: ErrOffline when
// the provider cannot be reached (or its answer was lost), ErrAuthExpired
// when the user must reconnect, ErrNotFound for a missing record, ErrStale
// for an outdated SyncToken, *DuplicateNameError, *DuplicateNumberError and
// *ProviderError for faults the provider returned. Other errors are passed
// on to the caller as they are.

// CRM is Pipedrive, as the Service needs it.
type CRM interface {
	// ListDeals returns one page of deals matching f, starting at cursor
	// ("" for the first page). An empty DealPage.Next means the last page.
	ListDeals(ctx context.Context, f DealFilter, cursor string) (DealPage, error)
	// SearchDeals searches the deals' titles, notes and custom fields for
	// term (at least two characters) and returns the best matches.
	SearchDeals(ctx context.Context, term string) ([]Deal, error)
	// DealBundle returns a deal with everything a draft is built from: its
	// organization, person, products (with their catalogue codes) and
	// deal-level discounts. It must take at most two sequential round trips
	// (the deal first, then the rest concurrently). A deal that does not
	// exist is ErrNotFound.
	DealBundle(ctx context.Context, dealID int64) (DealBundle, error)
	// Fields returns the field definitions of deals, organizations and
	// persons, custom fields included, for the preferences screen.
	Fields(ctx context.Context) ([]Field, error)
	// AddNote writes an HTML note on the deal and returns the note's id.
	// Pipedrive has no request id: a lost answer may leave a second note.
	AddNote(ctx context.Context, dealID int64, html string) (int64, error)
	// DealNotes returns the notes on the deal, to find one whose answer
	// was lost before its id was recorded.
	DealNotes(ctx context.Context, dealID int64) ([]DealNote, error)
	// Users returns the CRM's users, who own the deals, with their names.
	// A connection not allowed to list users returns an empty list.
	Users(ctx context.Context) ([]Owner, error)
}

// DealNote is a note on a deal: its id and HTML content.
type DealNote struct {
	ID   int64
	HTML string
}

// Accounting is QuickBooks Online, as the Service needs it. Writes carry a
// requestID (at most 50 characters, unique per company): the adapter sends
// it as the requestid query parameter, so a repeated request gets the
// original answer instead of a second object.
type Accounting interface {
	// Company returns CompanyInfo and Preferences merged into a Company.
	Company(ctx context.Context) (Company, error)
	// Customers returns every active customer (the adapter pages through
	// them), for matching a deal's organization or person locally.
	Customers(ctx context.Context) ([]QBCustomer, error)
	// Customer reads one customer with its current SyncToken.
	Customer(ctx context.Context, id string) (QBCustomer, error)
	// CreateCustomer creates a customer. A DisplayName already in use is
	// *DuplicateNameError (fault 6240) naming the existing customer.
	CreateCustomer(ctx context.Context, c NewCustomer, requestID string) (QBCustomer, error)
	// UpdateCustomer writes the non-empty fields of ch by sparse update,
	// carrying syncToken; an outdated one is ErrStale (fault 5010).
	UpdateCustomer(ctx context.Context, id, syncToken string, ch CustomerChanges, requestID string) (QBCustomer, error)
	// Items returns the active items (products and services).
	Items(ctx context.Context) ([]Item, error)
	// TaxCodes returns the active tax codes with their sales rates.
	TaxCodes(ctx context.Context) ([]TaxCode, error)
	// Terms returns the active payment terms.
	Terms(ctx context.Context) ([]Term, error)
	// CreateInvoice creates an invoice. A DocNumber already in use is
	// *DuplicateNumberError (fault 6140) naming the existing transaction.
	CreateInvoice(ctx context.Context, inv InvoiceRequest, requestID string) (Invoice, error)
	// Invoice reads one invoice. A deleted invoice (fault 610) is ErrNotFound.
	Invoice(ctx context.Context, id string) (Invoice, error)
	// InvoicesByIDs reads the invoices with the given ids, as
	// SELECT … WHERE Id IN (…) pages of at most 1,000 ids (the adapter
	// pages). Deleted invoices are simply absent from the result.
	InvoicesByIDs(ctx context.Context, ids []string) ([]Invoice, error)
	// CustomerInvoices returns the invoices of the customers, newest
	// (TxnDate) first, at most max of them (one query).
	CustomerInvoices(ctx context.Context, customerIDs []string, max int) ([]Invoice, error)
	// InvoicesByNumber returns the invoices whose DocNumber is one of
	// numbers; numbers QuickBooks has no invoice for are simply absent.
	InvoicesByNumber(ctx context.Context, numbers []string) ([]Invoice, error)
	// UpdateInvoiceNote replaces the invoice's PrivateNote by sparse
	// update, nothing else changing; an outdated syncToken is ErrStale.
	UpdateInvoiceNote(ctx context.Context, id, syncToken, privateNote, requestID string) (Invoice, error)
	// Changes returns the invoices and payments changed since, by one
	// change-data-capture request (since must be within 30 days).
	Changes(ctx context.Context, since time.Time) (ChangeSet, error)
	// VoidInvoice voids the invoice; an outdated syncToken is ErrStale.
	VoidInvoice(ctx context.Context, id, syncToken, requestID string) (Invoice, error)
	// DeleteInvoice deletes the invoice; an outdated syncToken is ErrStale,
	// an invoice already deleted is ErrNotFound.
	DeleteInvoice(ctx context.Context, id, syncToken, requestID string) error
	// SendInvoice has QuickBooks e-mail the invoice to the address to, and
	// returns the invoice with EmailStatus "EmailSent".
	SendInvoice(ctx context.Context, id, to, requestID string) (Invoice, error)
	// InvoicePDF returns the invoice as a PDF; the caller closes it.
	InvoicePDF(ctx context.Context, id string) (io.ReadCloser, error)
	// InvoiceURL returns the web address of the invoice in QuickBooks.
	InvoiceURL(id string) string
}

// Repository is the local database of one account pair (one Pipedrive
// company and one QuickBooks company): the adapter is opened for that pair
// and keeps its rows apart from other pairs'. Lookups of a single record
// that does not exist return ErrNotFound.
type Repository interface {
	PreferenceStore
	LinkStore
	DealCache
	InvoiceCache
	Outbox
	DraftStore
}

// PreferenceStore keeps the preferences, the last known Company (so drafts
// validate offline) and the sync state.
type PreferenceStore interface {
	// Preferences returns the saved preferences, or ErrNotFound if none
	// were ever saved.
	Preferences(ctx context.Context) (Preferences, error)
	// SavePreferences replaces the preferences as a whole, in one write.
	SavePreferences(ctx context.Context, p Preferences) error
	Company(ctx context.Context) (Company, error)
	SaveCompany(ctx context.Context, c Company) error
	// SyncState returns the zero SyncState if nothing was ever synced.
	SyncState(ctx context.Context) (SyncState, error)
	SaveSyncState(ctx context.Context, s SyncState) error
}

// LinkStore remembers which QuickBooks customer and item stand for which
// Pipedrive organization, person and product.
type LinkStore interface {
	// CustomerLinks returns the party's links, one per currency.
	CustomerLinks(ctx context.Context, party PartyRef) ([]CustomerLink, error)
	// SaveCustomerLink adds or replaces the link of its party and currency.
	SaveCustomerLink(ctx context.Context, l CustomerLink) error
	// DeleteCustomerLink removes the link of party and currency, if any.
	DeleteCustomerLink(ctx context.Context, party PartyRef, currency string) error
	// ItemLinks returns every product's item: Pipedrive product id →
	// QuickBooks item id.
	ItemLinks(ctx context.Context) (map[int64]string, error)
	SaveItemLink(ctx context.Context, productID int64, itemID string) error
}

// DealCache keeps the deals seen, for the picker and for offline use.
type DealCache interface {
	// UpsertDeals adds the deals or replaces them by id.
	UpsertDeals(ctx context.Context, deals []Deal) error
	// Deals returns the cached deals matching q: open and won deals before
	// the others, then the most recently updated first, then by id.
	Deals(ctx context.Context, q DealQuery) ([]Deal, error)
}

// InvoiceCache keeps the invoices created through Dealbooks, as last read
// from QuickBooks.
type InvoiceCache interface {
	// UpsertInvoices adds the invoices or replaces them by Invoice.ID.
	UpsertInvoices(ctx context.Context, invs []CachedInvoice) error
	// Invoices returns the deal's invoices, or all invoices for dealID 0.
	Invoices(ctx context.Context, dealID int64) ([]CachedInvoice, error)
	// Invoice returns one cached invoice by its QuickBooks id.
	Invoice(ctx context.Context, id string) (CachedInvoice, error)
}

// Outbox holds the invoices to be sent to QuickBooks, so each is created
// exactly once even across lost answers and crashes.
type Outbox interface {
	// Enqueue stores e as a new entry in one transaction, request ids and
	// draft included, and returns it with its ID set.
	Enqueue(ctx context.Context, e OutboxEntry) (OutboxEntry, error)
	// OutboxEntry returns the entry as last stored.
	OutboxEntry(ctx context.Context, id int64) (OutboxEntry, error)
	// UpdateOutbox replaces the stored entry of e.ID with e.
	UpdateOutbox(ctx context.Context, e OutboxEntry) error
	// PendingOutbox returns the entries still to be worked on (states
	// queued, customer-done and sent), oldest first.
	PendingOutbox(ctx context.Context) ([]OutboxEntry, error)
	// ClaimOutbox leases the entry to owner until until, in one
	// transaction, and reports whether it did: false when another owner
	// holds a lease that has not expired by now. owner claiming an entry
	// it holds extends its lease; an expired lease (its holder crashed) is
	// taken over. Every process working on the outbox shares the database,
	// so each step of an entry is run by one process at a time.
	ClaimOutbox(ctx context.Context, id int64, owner string, now, until time.Time) (bool, error)
	// ReleaseOutbox ends owner's lease on the entry, if owner holds it.
	ReleaseOutbox(ctx context.Context, id int64, owner string) error
}

// DraftStore keeps the draft being edited per deal, so nothing typed is lost.
type DraftStore interface {
	SaveDraft(ctx context.Context, d Draft) error
	// Draft returns the saved draft of the deal, or ErrNotFound.
	Draft(ctx context.Context, dealID int64) (Draft, error)
	// DeleteDraft removes the deal's draft, if any.
	DeleteDraft(ctx context.Context, dealID int64) error
}

// FileCache keeps files such as invoice PDFs in the user's cache folder so
// they open offline.
type FileCache interface {
	// Put stores the contents of r under name (a safe base file name) and
	// returns the path the operating system can open.
	Put(ctx context.Context, name string, r io.Reader) (string, error)
	// Get returns the path of the file stored under name, or ErrNotFound.
	Get(ctx context.Context, name string) (string, error)
}
