package invoicing

import (
	"context"
	"io"
	"time"

	"github.com/shopspring/decimal"
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
	// organization, person, products and deal-level discounts. It must take
	// at most two sequential round trips (the deal first, then the rest
	// concurrently). A deal that does not exist is ErrNotFound.
	DealBundle(ctx context.Context, dealID int64) (DealBundle, error)
	// Fields returns the field definitions of deals, organizations and
	// persons, custom fields included, for the preferences screen.
	Fields(ctx context.Context) ([]Field, error)
	// AddNote writes an HTML note on the deal and returns the note's id.
	// Pipedrive has no request id: a lost answer may leave a second note.
	AddNote(ctx context.Context, dealID int64, html string) (int64, error)
	// Users returns the CRM's users, who own the deals, with their names.
	// A connection not allowed to list users returns an empty list.
	Users(ctx context.Context) ([]Owner, error)
}

// Owner is a CRM user, as the owner of deals (Deal.OwnerID).
type Owner struct {
	ID   int64
	Name string
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

// DealStatus is a Pipedrive deal's status.
type DealStatus string

// The deal statuses Pipedrive knows.
const (
	DealOpen    DealStatus = "open"
	DealWon     DealStatus = "won"
	DealLost    DealStatus = "lost"
	DealDeleted DealStatus = "deleted"
)

// Deal is a Pipedrive deal as the picker shows it.
type Deal struct {
	ID       int64
	Title    string
	Value    decimal.Decimal
	Currency string
	Status   DealStatus
	OwnerID  int64
	// OrgID and PersonID are 0 when the deal has none; the names are
	// filled when the adapter has them.
	OrgID      int64
	OrgName    string
	PersonID   int64
	PersonName string
	UpdatedAt  time.Time
}

// DealFilter selects deals to list from Pipedrive.
type DealFilter struct {
	Statuses     []DealStatus // empty: every status but deleted
	OwnerID      int64        // 0: every owner
	UpdatedSince time.Time    // zero: any time
}

// DealPage is one page of ListDeals.
type DealPage struct {
	Deals []Deal
	Next  string // the cursor of the next page; "" on the last page
}

// DealQuery selects deals from the cache.
type DealQuery struct {
	Statuses []DealStatus // empty: every status
	OwnerID  int64        // 0: every owner
	// Text, when not empty, keeps the deals whose title, organization or
	// person name contains it, ignoring case.
	Text  string
	Limit int // 0: no limit
}

// Entity is a kind of Pipedrive record a field belongs to.
type Entity string

// The entities whose fields can fill an invoice.
const (
	EntityDeal         Entity = "deal"
	EntityOrganization Entity = "organization"
	EntityPerson       Entity = "person"
)

// Standard field codes every adapter fills in Party.Fields and
// DealBundle.DealFields besides the custom fields.
const (
	FieldName    = "name"    // organization or person name
	FieldAddress = "address" // organization address, as one formatted text
	FieldEmail   = "email"   // person's primary e-mail address (else the first)
	FieldTitle   = "title"   // deal title
)

// Field is one Pipedrive field definition.
type Field struct {
	Entity Entity
	Code   string // field_code: "name", "address", or a custom field's 40-character hash
	Name   string // as the user named it
	Type   string // field_type, such as "varchar" or "address"
	Custom bool
}

// FieldRef points at one field of a deal's organization, person or deal.
// The zero FieldRef means "none".
type FieldRef struct {
	Entity Entity
	Code   string
}

// IsZero reports whether the reference points at no field.
func (f FieldRef) IsZero() bool { return f == FieldRef{} }

// DealBundle is a deal with what a draft is built from.
type DealBundle struct {
	Deal Deal
	// DealFields holds the deal's field values as text by field code
	// (standard and custom).
	DealFields   map[string]string
	Organization *Party // nil when the deal has no organization
	Person       *Party // nil when the deal has no person
	Products     []DealProduct
	Discounts    []Discount // the deal-level discounts
}

// Party is a Pipedrive organization or person.
type Party struct {
	ID   int64
	Name string
	// Fields holds every field value as text by field code: the standard
	// codes (FieldName, FieldAddress, FieldEmail) and the custom fields'
	// hashes. An address is its formatted text, an option its label.
	Fields map[string]string
}

// TaxMethod is Pipedrive's deal-wide tax_method.
type TaxMethod string

// The tax methods of Pipedrive deal products.
const (
	TaxMethodExclusive TaxMethod = "exclusive"
	TaxMethodInclusive TaxMethod = "inclusive"
	TaxMethodNone      TaxMethod = "none"
)

// DealProduct is a product attached to a deal.
type DealProduct struct {
	ProductID int64
	Name      string
	Comments  string
	Quantity  decimal.Decimal
	ItemPrice decimal.Decimal // unit price
	Discount  Discount
	TaxRate   decimal.Decimal // tax percentage, 20 for 20 %
	TaxMethod TaxMethod
	// BillingFrequency is "one-time", "monthly", …; "" means one-time.
	BillingFrequency string
	Enabled          bool
}

// Item is a QuickBooks item (product or service).
type Item struct {
	ID   string
	Name string
}

// TaxCode is a QuickBooks tax code with its combined sales rate in percent.
type TaxCode struct {
	ID   string
	Name string
	Rate decimal.Decimal
}

// Term is a QuickBooks payment term, such as "Net 30".
type Term struct {
	ID   string
	Name string
	// DueDays is how many days after the issue date the invoice is due;
	// 0 when the term is not a fixed number of days (DateDriven).
	DueDays int
	// DateDriven: the term sets the due date by a day of the month
	// (QuickBooks' DATE_DRIVEN terms), not as days after the issue date.
	DateDriven bool
}

// DueDate returns the due date the term gives an invoice issued on issue:
// issue plus DueDays ("Due on receipt", 0 days, is the issue date). ok is
// false for a date-driven term and for a missing issue date: the due date
// is then left as the rep typed it.
func (t Term) DueDate(issue Date) (due Date, ok bool) {
	if t.DateDriven || issue.IsZero() {
		return Date{}, false
	}
	return issue.AddDays(t.DueDays), true
}

// NewCustomer is a customer to create in QuickBooks.
type NewCustomer struct {
	DisplayName string
	Email       string
	Address     string
	TaxID       string
	// Currency is the customer's fixed currency; "" leaves the company's
	// home currency (and is what a company without multicurrency needs).
	Currency string
}

// CustomerChanges are the fields a sparse update writes; empty ones are left alone.
type CustomerChanges struct {
	Email   string
	Address string
	TaxID   string
}

// IsZero reports whether there is nothing to write.
func (c CustomerChanges) IsZero() bool { return c == CustomerChanges{} }

// CustomerLink remembers the QuickBooks customer of a Pipedrive
// organization or person in one currency.
type CustomerLink struct {
	Party      PartyRef
	Currency   string
	CustomerID string
	// DisplayName is the customer's name when linked, for display.
	DisplayName string
}

// InvoiceRequest is an invoice to create, with every amount already
// computed (see ComputeTotals), so adapters only translate it.
type InvoiceRequest struct {
	CustomerID string
	Currency   string // CurrencyRef; "" when the company has no multicurrency
	IssueDate  Date   // TxnDate
	DueDate    Date   // zero: QuickBooks derives it from the terms
	Terms      string // SalesTermRef Id; "" for none
	DocNumber  string // "" lets QuickBooks number the invoice
	// PrivateNote is the memo; CustomerMemo the message to the customer.
	PrivateNote  string
	CustomerMemo string
	BillEmail    string
	Lines        []InvoiceLine
	// Discount is the deal-level discount as one amount-based discount
	// line after the item lines; zero means no discount line.
	Discount decimal.Decimal
	// TxnTaxCode is the US transaction tax code (TxnTaxDetail.TxnTaxCodeRef);
	// "" sends none.
	TxnTaxCode            string
	ApplyTaxAfterDiscount bool
	// GlobalTaxCalculation is set outside the US and "" in the US.
	GlobalTaxCalculation GlobalTaxCalculation
}

// InvoiceLine is one SalesItemLine.
type InvoiceLine struct {
	ItemID      string // ItemRef, never empty
	Description string
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal // the line discount already folded in
	Amount      decimal.Decimal // Quantity × UnitPrice, rounded to the currency
	// TaxCode is "TAX" or "NON" in the US and a TaxCode Id elsewhere.
	TaxCode string
}

// Invoice is a QuickBooks invoice as read back.
type Invoice struct {
	ID           string
	SyncToken    string
	DocNumber    string
	CustomerID   string
	CustomerName string
	Currency     string
	IssueDate    Date
	DueDate      Date
	Total        decimal.Decimal // TotalAmt
	Balance      decimal.Decimal
	PrivateNote  string
	EmailStatus  string // "NotSet", "NeedToSend" or "EmailSent"
	BillEmail    string
	// Deleted: QuickBooks reported the invoice deleted; only ID is then reliable.
	Deleted   bool
	UpdatedAt time.Time // MetaData.LastUpdatedTime
}

// Status derives the invoice's status on the given day.
func (inv Invoice) Status(today Date) Status {
	return DeriveStatus(StatusInput{
		Total: inv.Total, Balance: inv.Balance, DueDate: inv.DueDate,
		PrivateNote: inv.PrivateNote, Deleted: inv.Deleted,
		EmailStatus: inv.EmailStatus, Today: today,
	})
}

// ChangeSet is what changed in QuickBooks since a given time.
type ChangeSet struct {
	// Invoices are the changed invoices, deleted ones with Deleted set.
	Invoices []Invoice
	// PaymentInvoiceIDs are the invoices the changed payments are applied to.
	PaymentInvoiceIDs []string
	// Time is QuickBooks' time of the answer, the start of the next window.
	Time time.Time
}

// CachedInvoice is an invoice in the local cache.
type CachedInvoice struct {
	Invoice Invoice
	DealID  int64
	// Status is the status as of FetchedAt; a refresh compares it with the
	// new one to report invoices newly paid or overdue.
	Status    Status
	NoteID    int64 // the Pipedrive note written for it; 0 for none
	FetchedAt time.Time
}

// SyncState records how fresh the caches are.
type SyncState struct {
	DealsSyncedAt    time.Time // the updated_since of the next deals refresh
	InvoicesSyncedAt time.Time // the changedSince of the next invoice refresh
}

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
