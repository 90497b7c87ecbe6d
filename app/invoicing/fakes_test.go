package invoicing

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"

	"github.com/shopspring/decimal"
)

// This file holds in-memory implementations of the ports, following the
// providers' rules that the Service relies on.

// fakeAccounting is QuickBooks in memory: it replays the answer to a
// repeated requestid, checks SyncTokens (5010), refuses duplicate customer
// names (6240) and invoice numbers (6140), and can lose answers after
// committing or be out of reach.
type fakeAccounting struct {
	mu       sync.Mutex
	now      func() time.Time
	company  Company
	items    []Item
	taxCodes []TaxCode
	terms    []Term
	// invoiceTerms is the SalesTermRef of each invoice created, by its id.
	invoiceTerms map[string]string

	customers []*QBCustomer
	invoices  []*Invoice
	payments  []fakePayment
	replies   map[string]fakeReply

	// offline makes every call fail with ErrOffline, changing nothing.
	offline bool
	// drop[op] > 0 makes the next op commit and then lose its answer.
	drop map[string]int
	// after[op] runs after op commits (to simulate a crash, say);
	// onCall[op] runs as op is called. Both run with mu held.
	after  map[string]func()
	onCall map[string]func()
	calls  map[string]int
	// requestIDs records the request id of every write call, by op.
	requestIDs map[string][]string
}

type fakeReply struct {
	value any
	err   error
}

type fakePayment struct {
	invoiceID string
	at        time.Time
}

var writeOps = []string{"CreateCustomer", "UpdateCustomer", "CreateInvoice", "VoidInvoice", "DeleteInvoice", "SendInvoice"}

func newFakeAccounting(now func() time.Time) *fakeAccounting {
	return &fakeAccounting{
		now: now,
		company: Company{RealmID: "9130", Name: "Dealbooks Ltd", Country: "GB", HomeCurrency: "GBP",
			MultiCurrency: true, TaxModel: TaxGlobal, CustomTxnNumbers: true},
		items:    []Item{{ID: "1", Name: "Services"}, {ID: "2", Name: "Consulting"}},
		taxCodes: []TaxCode{{ID: "20", Name: "20.0% S", Rate: testkit.Dec("20")}, {ID: "0", Name: "0.0% Z", Rate: testkit.Dec("0")}},
		terms: []Term{{ID: "1", Name: "Due on receipt"}, {ID: "3", Name: "Net 30", DueDays: 30},
			{ID: "7", Name: "15th of next month", DateDriven: true}},
		invoiceTerms: map[string]string{},
		replies:      map[string]fakeReply{},
		drop:         map[string]int{},
		after:        map[string]func(){},
		onCall:       map[string]func(){},
		calls:        map[string]int{},
		requestIDs:   map[string][]string{},
	}
}

// begin counts a call and says whether it may go ahead.
func (f *fakeAccounting) begin(ctx context.Context, op string) error {
	f.calls[op]++
	if hook := f.onCall[op]; hook != nil {
		hook()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.offline {
		return fmt.Errorf("%s: %w", op, ErrOffline)
	}
	return nil
}

// write runs a write op under request-id replay and fault injection.
func write[T any](f *fakeAccounting, ctx context.Context, op, requestID string, do func() (T, error)) (T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var zero T
	if err := f.begin(ctx, op); err != nil {
		return zero, err
	}
	f.requestIDs[op] = append(f.requestIDs[op], requestID)
	if requestID == "" || len(requestID) > 50 {
		return zero, &ProviderError{Provider: "QuickBooks", Code: "2020", Message: "bad requestid"}
	}
	r, seen := f.replies[requestID]
	if !seen {
		v, err := do()
		r = fakeReply{value: v, err: err}
		f.replies[requestID] = r
		if hook := f.after[op]; hook != nil {
			hook()
		}
	}
	if f.drop[op] > 0 {
		f.drop[op]--
		return zero, fmt.Errorf("%s: connection reset: %w", op, ErrOffline)
	}
	if r.err != nil {
		return zero, r.err
	}
	return r.value.(T), nil
}

func (f *fakeAccounting) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeAccounting) writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, op := range writeOps {
		n += f.calls[op]
	}
	return n
}

func (f *fakeAccounting) setOffline(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offline = v
}

func (f *fakeAccounting) setDrop(op string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drop[op] = n
}

func (f *fakeAccounting) setAfter(op string, hook func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.after[op] = hook
}

func (f *fakeAccounting) setOnCall(op string, hook func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onCall[op] = hook
}

func (f *fakeAccounting) ids(op string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requestIDs[op])
}

func (f *fakeAccounting) numCustomers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.customers)
}

// invoiceTerm returns the SalesTermRef the invoice was created with.
func (f *fakeAccounting) invoiceTerm(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.invoiceTerms[id]
}

func (f *fakeAccounting) numInvoices() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.invoices)
}

func (f *fakeAccounting) addCustomer(c QBCustomer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.SyncToken = "0"
	f.customers = append(f.customers, &c)
}

func (f *fakeAccounting) customerByID(id string) *QBCustomer {
	for _, c := range f.customers {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (f *fakeAccounting) invoiceByID(id string) *Invoice {
	for _, inv := range f.invoices {
		if inv.ID == id {
			return inv
		}
	}
	return nil
}

// editInvoice changes an invoice as someone in QuickBooks would.
func (f *fakeAccounting) editInvoice(id string, edit func(*Invoice)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv := f.invoiceByID(id)
	edit(inv)
	bump(&inv.SyncToken)
	inv.UpdatedAt = f.now()
}

// pay applies a payment; touchInvoice false leaves the invoice out of CDC
// (as if only the payment were reported).
func (f *fakeAccounting) pay(id string, amount decimal.Decimal, touchInvoice bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv := f.invoiceByID(id)
	inv.Balance = inv.Balance.Sub(amount)
	bump(&inv.SyncToken)
	if touchInvoice {
		inv.UpdatedAt = f.now()
	}
	f.payments = append(f.payments, fakePayment{invoiceID: id, at: f.now()})
}

func bump(token *string) {
	n, _ := strconv.Atoi(*token)
	*token = strconv.Itoa(n + 1)
}

func (f *fakeAccounting) Company(ctx context.Context) (Company, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Company"); err != nil {
		return Company{}, err
	}
	return f.company, nil
}

func (f *fakeAccounting) Customers(ctx context.Context) ([]QBCustomer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Customers"); err != nil {
		return nil, err
	}
	out := make([]QBCustomer, len(f.customers))
	for i, c := range f.customers {
		out[i] = *c
	}
	return out, nil
}

func (f *fakeAccounting) Customer(ctx context.Context, id string) (QBCustomer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Customer"); err != nil {
		return QBCustomer{}, err
	}
	c := f.customerByID(id)
	if c == nil {
		return QBCustomer{}, fmt.Errorf("customer %s: %w", id, ErrNotFound)
	}
	return *c, nil
}

func (f *fakeAccounting) CreateCustomer(ctx context.Context, nc NewCustomer, requestID string) (QBCustomer, error) {
	return write(f, ctx, "CreateCustomer", requestID, func() (QBCustomer, error) {
		for _, c := range f.customers {
			if strings.EqualFold(c.DisplayName, nc.DisplayName) {
				return QBCustomer{}, &DuplicateNameError{Name: nc.DisplayName, ExistingID: c.ID}
			}
		}
		cur := nc.Currency
		if cur == "" {
			cur = f.company.HomeCurrency
		}
		c := &QBCustomer{ID: strconv.Itoa(100 + len(f.customers)), SyncToken: "0", DisplayName: nc.DisplayName,
			Email: nc.Email, Address: nc.Address, TaxID: mask(nc.TaxID), Currency: cur}
		f.customers = append(f.customers, c)
		return *c, nil
	})
}

// mask shows only the last five characters, as QuickBooks does.
func mask(taxID string) string {
	if len(taxID) <= 5 {
		return taxID
	}
	return strings.Repeat("X", len(taxID)-5) + taxID[len(taxID)-5:]
}

func (f *fakeAccounting) UpdateCustomer(ctx context.Context, id, syncToken string, ch CustomerChanges, requestID string) (QBCustomer, error) {
	return write(f, ctx, "UpdateCustomer", requestID, func() (QBCustomer, error) {
		c := f.customerByID(id)
		switch {
		case c == nil:
			return QBCustomer{}, fmt.Errorf("customer %s: %w", id, ErrNotFound)
		case c.SyncToken != syncToken:
			return QBCustomer{}, fmt.Errorf("customer %s: %w", id, ErrStale)
		}
		if ch.Email != "" {
			c.Email = ch.Email
		}
		if ch.Address != "" {
			c.Address = ch.Address
		}
		if ch.TaxID != "" {
			c.TaxID = mask(ch.TaxID)
		}
		bump(&c.SyncToken)
		return *c, nil
	})
}

func (f *fakeAccounting) Items(ctx context.Context) ([]Item, error) {
	return readList(f, ctx, "Items", func() []Item { return f.items })
}

func (f *fakeAccounting) TaxCodes(ctx context.Context) ([]TaxCode, error) {
	return readList(f, ctx, "TaxCodes", func() []TaxCode { return f.taxCodes })
}

func (f *fakeAccounting) Terms(ctx context.Context) ([]Term, error) {
	return readList(f, ctx, "Terms", func() []Term { return f.terms })
}

// readList answers a read of reference data with a copy of the list that list returns under the lock.
func readList[T any](f *fakeAccounting, ctx context.Context, call string, list func() []T) ([]T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, call); err != nil {
		return nil, err
	}
	return slices.Clone(list()), nil
}

func (f *fakeAccounting) CreateInvoice(ctx context.Context, req InvoiceRequest, requestID string) (Invoice, error) {
	return write(f, ctx, "CreateInvoice", requestID, func() (Invoice, error) {
		c := f.customerByID(req.CustomerID)
		if c == nil {
			return Invoice{}, &ProviderError{Provider: "QuickBooks", Code: "2500", Message: "Invalid Reference Id"}
		}
		if req.Currency != "" && req.Currency != c.Currency {
			return Invoice{}, &ProviderError{Provider: "QuickBooks", Code: "6000", Message: "currency differs from the customer's"}
		}
		if req.Terms != "" && !slices.ContainsFunc(f.terms, func(t Term) bool { return t.ID == req.Terms }) {
			return Invoice{}, &ProviderError{Provider: "QuickBooks", Code: "2500", Message: "Invalid Reference Id"}
		}
		total := req.Discount.Neg()
		for _, l := range req.Lines {
			if l.ItemID == "" {
				return Invoice{}, &ProviderError{Provider: "QuickBooks", Code: "2020", Message: "ItemRef missing"}
			}
			total = total.Add(l.Amount)
		}
		number := req.DocNumber
		if number == "" {
			number = strconv.Itoa(1001 + len(f.invoices))
		}
		for _, inv := range f.invoices {
			if inv.DocNumber == number {
				return Invoice{}, &DuplicateNumberError{ExistingID: inv.ID, ExistingType: "Invoice"}
			}
		}
		inv := &Invoice{ID: strconv.Itoa(500 + len(f.invoices)), SyncToken: "0", DocNumber: number,
			CustomerID: c.ID, CustomerName: c.DisplayName, Currency: c.Currency, IssueDate: req.IssueDate,
			DueDate: req.DueDate, Total: total, Balance: total, PrivateNote: req.PrivateNote,
			EmailStatus: "NotSet", BillEmail: req.BillEmail, UpdatedAt: f.now()}
		f.invoices = append(f.invoices, inv)
		f.invoiceTerms[inv.ID] = req.Terms
		return *inv, nil
	})
}

func (f *fakeAccounting) Invoice(ctx context.Context, id string) (Invoice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Invoice"); err != nil {
		return Invoice{}, err
	}
	inv := f.invoiceByID(id)
	if inv == nil || inv.Deleted {
		return Invoice{}, fmt.Errorf("invoice %s: %w", id, ErrNotFound)
	}
	return *inv, nil
}

func (f *fakeAccounting) InvoicesByIDs(ctx context.Context, ids []string) ([]Invoice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "InvoicesByIDs"); err != nil {
		return nil, err
	}
	var out []Invoice
	for _, id := range ids {
		if inv := f.invoiceByID(id); inv != nil && !inv.Deleted {
			out = append(out, *inv)
		}
	}
	return out, nil
}

// CustomerInvoices answers as QuickBooks' ORDERBY TxnDate DESC does; of
// one day, the later made first (a stable sort over creation order would
// keep them ascending: the order among equal dates is not documented).
func (f *fakeAccounting) CustomerInvoices(ctx context.Context, customerIDs []string, max int) ([]Invoice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "CustomerInvoices"); err != nil {
		return nil, err
	}
	var out []Invoice
	for i := len(f.invoices) - 1; i >= 0; i-- {
		if inv := f.invoices[i]; !inv.Deleted && slices.Contains(customerIDs, inv.CustomerID) {
			out = append(out, *inv)
		}
	}
	slices.SortStableFunc(out, func(a, b Invoice) int { return b.IssueDate.Compare(a.IssueDate) })
	return out[:min(max, len(out))], nil
}

func (f *fakeAccounting) InvoicesByNumber(ctx context.Context, numbers []string) ([]Invoice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "InvoicesByNumber"); err != nil {
		return nil, err
	}
	var out []Invoice
	for _, inv := range f.invoices {
		if !inv.Deleted && slices.Contains(numbers, inv.DocNumber) {
			out = append(out, *inv)
		}
	}
	return out, nil
}

func (f *fakeAccounting) UpdateInvoiceNote(ctx context.Context, id, syncToken, note, requestID string) (Invoice, error) {
	return write(f, ctx, "UpdateInvoiceNote", requestID, func() (Invoice, error) {
		inv, err := f.current(id, syncToken)
		if err != nil {
			return Invoice{}, err
		}
		inv.PrivateNote = note
		bump(&inv.SyncToken)
		inv.UpdatedAt = f.now()
		return *inv, nil
	})
}

func (f *fakeAccounting) Changes(ctx context.Context, since time.Time) (ChangeSet, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Changes"); err != nil {
		return ChangeSet{}, err
	}
	cs := ChangeSet{Time: f.now()}
	for _, inv := range f.invoices {
		switch {
		case !inv.UpdatedAt.After(since):
		case inv.Deleted:
			cs.Invoices = append(cs.Invoices, Invoice{ID: inv.ID, Deleted: true, UpdatedAt: inv.UpdatedAt})
		default:
			cs.Invoices = append(cs.Invoices, *inv)
		}
	}
	for _, p := range f.payments {
		if p.at.After(since) {
			cs.PaymentInvoiceIDs = append(cs.PaymentInvoiceIDs, p.invoiceID)
		}
	}
	return cs, nil
}

func (f *fakeAccounting) VoidInvoice(ctx context.Context, id, syncToken, requestID string) (Invoice, error) {
	return write(f, ctx, "VoidInvoice", requestID, func() (Invoice, error) {
		inv, err := f.current(id, syncToken)
		if err != nil {
			return Invoice{}, err
		}
		inv.Total, inv.Balance = decimal.Zero, decimal.Zero
		inv.PrivateNote = strings.TrimSpace("Voided " + inv.PrivateNote)
		bump(&inv.SyncToken)
		inv.UpdatedAt = f.now()
		return *inv, nil
	})
}

func (f *fakeAccounting) DeleteInvoice(ctx context.Context, id, syncToken, requestID string) error {
	_, err := write(f, ctx, "DeleteInvoice", requestID, func() (bool, error) {
		inv, err := f.current(id, syncToken)
		if err != nil {
			return false, err
		}
		if inv.Balance.LessThan(inv.Total.Sub(inv.Deposit)) { // a deposit is no linked transaction
			return false, &ProviderError{Provider: "QuickBooks", Code: "6000", Message: "the transaction is linked to a payment"}
		}
		inv.Deleted = true
		inv.UpdatedAt = f.now()
		return true, nil
	})
	return err
}

// current returns the invoice when syncToken is its current one.
func (f *fakeAccounting) current(id, syncToken string) (*Invoice, error) {
	inv := f.invoiceByID(id)
	switch {
	case inv == nil || inv.Deleted:
		return nil, fmt.Errorf("invoice %s: %w", id, ErrNotFound)
	case inv.SyncToken != syncToken:
		return nil, fmt.Errorf("invoice %s: %w", id, ErrStale)
	}
	return inv, nil
}

func (f *fakeAccounting) SendInvoice(ctx context.Context, id, to, requestID string) (Invoice, error) {
	return write(f, ctx, "SendInvoice", requestID, func() (Invoice, error) {
		inv := f.invoiceByID(id)
		if inv == nil || inv.Deleted {
			return Invoice{}, fmt.Errorf("invoice %s: %w", id, ErrNotFound)
		}
		inv.EmailStatus, inv.BillEmail = "EmailSent", to
		bump(&inv.SyncToken)
		inv.UpdatedAt = f.now()
		return *inv, nil
	})
}

func (f *fakeAccounting) InvoicePDF(ctx context.Context, id string) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "InvoicePDF"); err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader("%PDF-1.4 invoice " + id)), nil
}

func (f *fakeAccounting) InvoiceURL(id string) string {
	return "https://app.sandbox.qbo.intuit.com/app/invoice?txnId=" + id
}

// fakeCRM is Pipedrive in memory.
type fakeCRM struct {
	mu       sync.Mutex
	deals    []Deal
	bundles  map[int64]DealBundle
	fields   []Field
	notes    map[int64][]string // deal id → note HTML
	offline  bool
	pageSize int
	calls    map[string]int
	filters  []DealFilter
	users    []Owner
	usersErr error // what Users answers besides being offline
}

func newFakeCRM() *fakeCRM {
	return &fakeCRM{bundles: map[int64]DealBundle{}, notes: map[int64][]string{}, pageSize: 2, calls: map[string]int{}}
}

func (f *fakeCRM) begin(ctx context.Context, op string) error {
	f.calls[op]++
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.offline {
		return fmt.Errorf("%s: %w", op, ErrOffline)
	}
	return nil
}

func (f *fakeCRM) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeCRM) setOffline(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offline = v
}

func (f *fakeCRM) dealNotes(id int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.notes[id])
}

func (f *fakeCRM) ListDeals(ctx context.Context, filter DealFilter, cursor string) (DealPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "ListDeals"); err != nil {
		return DealPage{}, err
	}
	f.filters = append(f.filters, filter)
	var match []Deal
	for _, d := range f.deals {
		if (filter.UpdatedSince.IsZero() || d.UpdatedAt.After(filter.UpdatedSince)) &&
			(len(filter.Statuses) == 0 || slices.Contains(filter.Statuses, d.Status)) {
			match = append(match, d)
		}
	}
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor)
	}
	end := min(start+f.pageSize, len(match))
	page := DealPage{Deals: match[start:end]}
	if end < len(match) {
		page.Next = strconv.Itoa(end)
	}
	return page, nil
}

func (f *fakeCRM) SearchDeals(ctx context.Context, term string) ([]Deal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "SearchDeals"); err != nil {
		return nil, err
	}
	var out []Deal
	for _, d := range f.deals {
		if strings.Contains(strings.ToLower(d.Title), strings.ToLower(term)) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeCRM) DealBundle(ctx context.Context, dealID int64) (DealBundle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "DealBundle"); err != nil {
		return DealBundle{}, err
	}
	b, ok := f.bundles[dealID]
	if !ok {
		return DealBundle{}, fmt.Errorf("deal %d: %w", dealID, ErrNotFound)
	}
	return b, nil
}

func (f *fakeCRM) Users(ctx context.Context) ([]Owner, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Users"); err != nil {
		return nil, err
	}
	return slices.Clone(f.users), f.usersErr
}

func (f *fakeCRM) Fields(ctx context.Context) ([]Field, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "Fields"); err != nil {
		return nil, err
	}
	return slices.Clone(f.fields), nil
}

func (f *fakeCRM) AddNote(ctx context.Context, dealID int64, html string) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "AddNote"); err != nil {
		return 0, err
	}
	f.notes[dealID] = append(f.notes[dealID], html)
	return int64(len(f.notes[dealID])), nil
}

func (f *fakeCRM) DealNotes(ctx context.Context, dealID int64) ([]DealNote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, "DealNotes"); err != nil {
		return nil, err
	}
	var out []DealNote
	for i, h := range f.notes[dealID] {
		out = append(out, DealNote{ID: int64(i + 1), HTML: h})
	}
	return out, nil
}

// fakeRepo is the SQLite store in memory. Outbox entries and drafts are
// kept as JSON, as the real store keeps them.
type fakeRepo struct {
	mu        sync.Mutex
	prefs     *Preferences
	company   *Company
	sync      SyncState
	links     map[PartyRef][]CustomerLink
	itemLinks map[int64]string
	deals     map[int64]Deal
	invoices  map[string]CachedInvoice
	outbox    map[int64][]byte
	nextID    int64
	drafts    map[int64][]byte
	saves     int // SavePreferences calls
	leases    map[int64]fakeLease
}

// fakeLease is who holds an outbox entry, and until when.
type fakeLease struct {
	owner string
	until time.Time
}

func newFakeRepo() *fakeRepo {
	return &fakeRepo{links: map[PartyRef][]CustomerLink{}, itemLinks: map[int64]string{}, deals: map[int64]Deal{},
		invoices: map[string]CachedInvoice{}, outbox: map[int64][]byte{}, drafts: map[int64][]byte{}}
}

func (r *fakeRepo) Preferences(context.Context) (Preferences, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.prefs == nil {
		return Preferences{}, ErrNotFound
	}
	return *r.prefs, nil
}

func (r *fakeRepo) SavePreferences(_ context.Context, p Preferences) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.saves++
	r.prefs = &p
	return nil
}

func (r *fakeRepo) Company(context.Context) (Company, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.company == nil {
		return Company{}, ErrNotFound
	}
	return *r.company, nil
}

func (r *fakeRepo) SaveCompany(_ context.Context, c Company) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.company = &c
	return nil
}

func (r *fakeRepo) SyncState(context.Context) (SyncState, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sync, nil
}

func (r *fakeRepo) SaveSyncState(_ context.Context, s SyncState) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync = s
	return nil
}

func (r *fakeRepo) CustomerLinks(_ context.Context, p PartyRef) ([]CustomerLink, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.links[p]), nil
}

func (r *fakeRepo) SaveCustomerLink(_ context.Context, l CustomerLink) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := slices.DeleteFunc(r.links[l.Party], func(x CustomerLink) bool { return x.Currency == l.Currency })
	r.links[l.Party] = append(kept, l)
	return nil
}

func (r *fakeRepo) DeleteCustomerLink(_ context.Context, p PartyRef, currency string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.links[p] = slices.DeleteFunc(r.links[p], func(x CustomerLink) bool { return x.Currency == currency })
	return nil
}

func (r *fakeRepo) ItemLinks(context.Context) (map[int64]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[int64]string, len(r.itemLinks))
	for k, v := range r.itemLinks {
		out[k] = v
	}
	return out, nil
}

func (r *fakeRepo) SaveItemLink(_ context.Context, productID int64, itemID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.itemLinks[productID] = itemID
	return nil
}

func (r *fakeRepo) UpsertDeals(_ context.Context, deals []Deal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range deals {
		r.deals[d.ID] = d
	}
	return nil
}

func (r *fakeRepo) Deals(_ context.Context, q DealQuery) ([]Deal, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Deal
	for _, d := range r.deals {
		if matchesDeal(d, q) {
			out = append(out, d)
		}
	}
	rank := func(d Deal) int {
		if d.Status == DealOpen || d.Status == DealWon {
			return 0
		}
		return 1
	}
	slices.SortFunc(out, func(a, b Deal) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(a.ID, b.ID))
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (r *fakeRepo) UpsertInvoices(_ context.Context, invs []CachedInvoice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ci := range invs {
		r.invoices[ci.Invoice.ID] = ci
	}
	return nil
}

func (r *fakeRepo) Invoices(_ context.Context, dealID int64) ([]CachedInvoice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []CachedInvoice
	for _, ci := range r.invoices {
		if dealID == 0 || ci.DealID == dealID {
			out = append(out, ci)
		}
	}
	slices.SortFunc(out, func(a, b CachedInvoice) int { return cmp.Compare(a.Invoice.ID, b.Invoice.ID) })
	return out, nil
}

func (r *fakeRepo) Invoice(_ context.Context, id string) (CachedInvoice, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ci, ok := r.invoices[id]
	if !ok {
		return CachedInvoice{}, ErrNotFound
	}
	return ci, nil
}

func (r *fakeRepo) Enqueue(_ context.Context, e OutboxEntry) (OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.CustomerRequestID == "" || e.InvoiceRequestID == "" {
		return OutboxEntry{}, fmt.Errorf("enqueue without request ids")
	}
	r.nextID++
	e.ID = r.nextID
	b, err := json.Marshal(e)
	if err != nil {
		return OutboxEntry{}, err
	}
	r.outbox[e.ID] = b
	return e, nil
}

func (r *fakeRepo) OutboxEntry(_ context.Context, id int64) (OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.entry(id)
}

func (r *fakeRepo) entry(id int64) (OutboxEntry, error) {
	b, ok := r.outbox[id]
	if !ok {
		return OutboxEntry{}, ErrNotFound
	}
	var e OutboxEntry
	err := json.Unmarshal(b, &e)
	return e, err
}

func (r *fakeRepo) UpdateOutbox(_ context.Context, e OutboxEntry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.outbox[e.ID]; !ok {
		return ErrNotFound
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	r.outbox[e.ID] = b
	return nil
}

func (r *fakeRepo) ClaimOutbox(_ context.Context, id int64, owner string, now, until time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.outbox[id]; !ok {
		return false, ErrNotFound
	}
	if l, ok := r.leases[id]; ok && l.owner != owner && now.Before(l.until) {
		return false, nil
	}
	if r.leases == nil {
		r.leases = map[int64]fakeLease{}
	}
	r.leases[id] = fakeLease{owner, until}
	return true, nil
}

func (r *fakeRepo) ReleaseOutbox(_ context.Context, id int64, owner string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.leases[id].owner == owner {
		delete(r.leases, id)
	}
	return nil
}

func (r *fakeRepo) PendingOutbox(context.Context) ([]OutboxEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []OutboxEntry
	for id := range r.outbox {
		e, err := r.entry(id)
		if err != nil {
			return nil, err
		}
		if e.Pending() {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b OutboxEntry) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (r *fakeRepo) allOutbox(t testing.TB) []OutboxEntry {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []OutboxEntry
	for id := range r.outbox {
		e, err := r.entry(id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b OutboxEntry) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (r *fakeRepo) SaveDraft(_ context.Context, d Draft) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := json.Marshal(d)
	r.drafts[d.DealID] = b
	return err
}

func (r *fakeRepo) Draft(_ context.Context, dealID int64) (Draft, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.drafts[dealID]
	if !ok {
		return Draft{}, ErrNotFound
	}
	var d Draft
	err := json.Unmarshal(b, &d)
	return d, err
}

func (r *fakeRepo) DeleteDraft(_ context.Context, dealID int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.drafts, dealID)
	return nil
}

// fakeFiles is a FileCache in memory.
type fakeFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (f *fakeFiles) Put(_ context.Context, name string, r io.Reader) (string, error) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[name] = buf.Bytes()
	return "/cache/" + name, nil
}

func (f *fakeFiles) Get(_ context.Context, name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.files[name]; !ok {
		return "", ErrNotFound
	}
	return "/cache/" + name, nil
}

// harness is a Service over fresh fakes with one seeded deal.
type harness struct {
	svc   *Service
	crm   *fakeCRM
	acct  *fakeAccounting
	repo  *fakeRepo
	files *fakeFiles
	clock *clock.Manual
}

// dealID is the seeded deal: Acme Ltd, Jane Doe, two products, a disabled
// one and a deal discount, in GBP.
const dealID = 7

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{
		crm:   newFakeCRM(),
		repo:  newFakeRepo(),
		files: &fakeFiles{files: map[string][]byte{}},
		clock: clock.NewManual(time.Date(2026, 3, 13, 10, 0, 0, 0, time.UTC)),
	}
	h.acct = newFakeAccounting(h.clock.Now)
	p := DefaultPreferences()
	p.DefaultItemID = "1"
	p.DefaultTaxCode = "20"
	p.DueDays = 7
	p.TaxID = FieldRef{EntityOrganization, "vat_hash"}
	h.repo.prefs = &p
	h.crm.bundles[dealID] = DealBundle{
		Deal:       Deal{ID: dealID, Title: "Website redesign", Currency: "gbp", Status: DealOpen, OrgID: 100, PersonID: 200},
		DealFields: map[string]string{FieldTitle: "Website redesign", "po_hash": "PO-77"},
		Organization: &Party{ID: 100, Name: "Acme Ltd", Fields: map[string]string{
			FieldName: "Acme Ltd", FieldAddress: "1 High St, London", "vat_hash": "GB123456789"}},
		Person: &Party{ID: 200, Name: "Jane Doe", Fields: map[string]string{FieldName: "Jane Doe", FieldEmail: "jane@acme.test"}},
		Products: []DealProduct{
			{ProductID: 1, Name: "Consulting", Comments: "March", Quantity: testkit.Dec("10"), ItemPrice: testkit.Dec("100"),
				Discount: Discount{Type: DiscountPercentage, Value: testkit.Dec("10")}, TaxRate: testkit.Dec("20"), TaxMethod: TaxMethodExclusive, Enabled: true},
			{ProductID: 2, Name: "Hosting", Quantity: testkit.Dec("1"), ItemPrice: testkit.Dec("50"), TaxRate: testkit.Dec("0"),
				TaxMethod: TaxMethodExclusive, BillingFrequency: "monthly", Enabled: true},
			{ProductID: 3, Name: "Old thing", Quantity: testkit.Dec("1"), ItemPrice: testkit.Dec("5"), Enabled: false},
		},
		Discounts: []Discount{{Description: "Loyalty", Type: DiscountAmount, Value: testkit.Dec("5")}},
	}
	h.svc = h.newService()
	return h
}

// newService returns a second Service over the same fakes, as after a restart.
func (h *harness) newService() *Service {
	return NewService(Config{CRM: h.crm, Accounting: h.acct, Repository: h.repo, Files: h.files, Now: h.clock.Now})
}

// draft builds the seeded deal's draft.
func (h *harness) draft(t testing.TB) Draft {
	t.Helper()
	b, err := h.svc.BuildDraft(context.Background(), dealID)
	if err != nil {
		t.Fatal(err)
	}
	// The harness bills its one seeded deal many times; the "already invoiced" rule has its own tests,
	// which build drafts without it.
	b.Draft.Another = true
	return b.Draft
}

// created creates an invoice from the seeded deal and returns it.
func (h *harness) created(t testing.TB) Invoice {
	t.Helper()
	res, err := h.svc.CreateInvoice(context.Background(), h.draft(t))
	if err != nil {
		t.Fatal(err)
	}
	return res.Invoice
}
