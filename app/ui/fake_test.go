package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// fakeInvoicing is an Invoicing in memory: deals, one draft, and the invoices created or seeded.
type fakeInvoicing struct {
	unlinked  atomic.Int32 // UnlinkCustomer calls
	deals     []invoicing.Deal
	found     []invoicing.Deal // what a remote search finds
	owners    []invoicing.Owner
	searches  []string // the terms searched remotely
	built     invoicing.BuiltDraft
	company   invoicing.Company
	matches   []invoicing.CustomerMatch
	createErr error
	creating  func(ctx context.Context) error // runs first in CreateInvoice, as the network would take its time
	queue     bool                            // CreateInvoice finds no network and queues
	created   []invoicing.Draft
	invoices  []invoicing.HistoryItem // newest first
	updatedAt time.Time
	refresh   func(f *fakeInvoicing) error
	resumed   int // calls to Resume
	// fetchingDeals, when set, runs in RefreshDeals as the network would take its time.
	fetchingDeals func(ctx context.Context) error
	refreshed     invoicing.RefreshResult // what Refresh reports when refresh is nil
	actionErr     error
	voided        []string
	deleted       []string
	sentTo        []string
	pdfPath       string
	drafts        map[int64]invoicing.Draft // the drafts saved, by deal
	items         []invoicing.Item
	taxCodes      []invoicing.TaxCode
	terms         []invoicing.Term
	termsErr      error                     // what Terms answers instead, as when QuickBooks cannot be reached
	itemLinks     map[int64]string          // the items chosen for products
	candidates    invoicing.AdoptCandidates // what AdoptCandidates answers
	numbered      []invoicing.Invoice       // the invoices InvoicesByNumber finds
	adopted       []string                  // the ids AdoptInvoices linked
}

func (f *fakeInvoicing) AdoptCandidates(context.Context, invoicing.Deal) (invoicing.AdoptCandidates, error) {
	return f.candidates, nil
}

func (f *fakeInvoicing) InvoicesByNumber(_ context.Context, numbers []string) ([]invoicing.Invoice, error) {
	var out []invoicing.Invoice
	for _, inv := range f.numbered {
		if slices.Contains(numbers, inv.DocNumber) {
			out = append(out, inv)
		}
	}
	return out, nil
}

// AdoptInvoices files the candidates and numbered invoices with these ids under the deal, as QuickBooks
// holds them.
func (f *fakeInvoicing) AdoptInvoices(_ context.Context, dealID int64, ids []string) error {
	for _, inv := range append(slices.Clone(f.candidates.Invoices), f.numbered...) {
		if slices.Contains(ids, inv.ID) {
			f.adopted = append(f.adopted, inv.ID)
			f.invoices = append(f.invoices, invoicing.HistoryItem{Invoice: inv, DealID: dealID, Status: inv.Status(invoicing.DateOf(time.Now()))})
		}
	}
	return nil
}

func (f *fakeInvoicing) Deals(_ context.Context, q invoicing.DealQuery) (invoicing.DealList, error) {
	return invoicing.DealList{Deals: slices.Clone(f.deals)}, nil
}

func (f *fakeInvoicing) SearchDeals(_ context.Context, q invoicing.DealQuery) (invoicing.DealSearch, error) {
	f.searches = append(f.searches, q.Text)
	return invoicing.DealSearch{Deals: slices.Clone(f.found), Remote: true}, nil
}

func (f *fakeInvoicing) RefreshDeals(ctx context.Context) (int, error) {
	if f.fetchingDeals != nil {
		return 0, f.fetchingDeals(ctx)
	}
	return 0, nil
}

func (f *fakeInvoicing) Owners(context.Context) ([]invoicing.Owner, error) {
	return slices.Clone(f.owners), nil
}

func (f *fakeInvoicing) Company(context.Context) (invoicing.Company, error) { return f.company, nil }

func (f *fakeInvoicing) BuildDraft(_ context.Context, dealID int64) (invoicing.BuiltDraft, error) {
	b := f.built
	b.Draft.DealID = dealID
	b.Draft.Lines = slices.Clone(b.Draft.Lines)
	return b, nil
}

func (f *fakeInvoicing) Items(context.Context) ([]invoicing.Item, error) { return f.items, nil }

func (f *fakeInvoicing) TaxCodes(context.Context) ([]invoicing.TaxCode, error) {
	return f.taxCodes, nil
}

func (f *fakeInvoicing) Terms(context.Context) ([]invoicing.Term, error) {
	if f.termsErr != nil {
		return nil, f.termsErr
	}
	return f.terms, nil
}

func (f *fakeInvoicing) LinkItem(_ context.Context, productID int64, itemID string) error {
	if f.itemLinks == nil {
		f.itemLinks = map[int64]string{}
	}
	f.itemLinks[productID] = itemID
	return nil
}

func (f *fakeInvoicing) SaveDraft(_ context.Context, d invoicing.Draft) error {
	if f.drafts == nil {
		f.drafts = map[int64]invoicing.Draft{}
	}
	f.drafts[d.DealID] = d
	return nil
}

func (f *fakeInvoicing) SavedDraft(_ context.Context, dealID int64) (invoicing.Draft, error) {
	d, ok := f.drafts[dealID]
	if !ok {
		return invoicing.Draft{}, fmt.Errorf("draft of deal %d: %w", dealID, invoicing.ErrNotFound)
	}
	return d, nil
}

func (f *fakeInvoicing) CustomerMatches(context.Context, invoicing.Draft) ([]invoicing.CustomerMatch, error) {
	return f.matches, nil
}

func (f *fakeInvoicing) LinkCustomer(_ context.Context, d invoicing.Draft, id string) (invoicing.Draft, error) {
	d.Customer.LinkedID, d.Customer.LinkedCurrency = id, d.Currency
	return d, nil
}

func (f *fakeInvoicing) UnlinkCustomer(_ context.Context, d invoicing.Draft) (invoicing.Draft, error) {
	f.unlinked.Add(1)
	d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
	return d, nil
}

func (f *fakeInvoicing) CreateInvoice(ctx context.Context, d invoicing.Draft) (invoicing.CreateResult, error) {
	if f.creating != nil {
		if err := f.creating(ctx); err != nil {
			return invoicing.CreateResult{Draft: d}, err
		}
	}
	if f.createErr != nil {
		return invoicing.CreateResult{Draft: d}, f.createErr
	}
	f.created = append(f.created, d)
	delete(f.drafts, d.DealID)
	total := invoicing.ComputeTotals(d).Total
	it := invoicing.HistoryItem{DealID: d.DealID, Invoice: invoicing.Invoice{
		ID: "9" + d.InvoiceNumber, DocNumber: d.InvoiceNumber, CustomerName: d.Customer.To, Currency: d.Currency,
		IssueDate: d.IssueDate, DueDate: d.DueDate, Total: total, Balance: total,
	}}
	if f.queue {
		it.Invoice.ID, it.OutboxID, it.Status = "", int64(len(f.created)), invoicing.Status{State: invoicing.Queued}
	}
	f.invoices = append([]invoicing.HistoryItem{it}, f.invoices...)
	return invoicing.CreateResult{Draft: d, Invoice: it.Invoice, Queued: f.queue}, nil
}

func (f *fakeInvoicing) History(_ context.Context, q invoicing.HistoryQuery) (invoicing.History, error) {
	h := invoicing.History{UpdatedAt: f.updatedAt}
	sums := map[string]decimal.Decimal{}
	for _, it := range f.invoices {
		if q.DealID != 0 && it.DealID != q.DealID ||
			len(q.States) > 0 && !slices.Contains(q.States, it.Status.State) ||
			q.OverdueOnly && !it.Status.Overdue ||
			!strings.Contains(strings.ToLower(it.Invoice.DocNumber+" "+it.Invoice.CustomerName), strings.ToLower(q.Text)) {
			continue
		}
		h.Items = append(h.Items, it)
		if it.Status.State == invoicing.Open || it.Status.State == invoicing.PartiallyPaid {
			sums[it.Invoice.Currency] = sums[it.Invoice.Currency].Add(it.Invoice.Balance)
		}
	}
	for cur, sum := range sums {
		h.Outstanding = append(h.Outstanding, invoicing.Money{Amount: sum, Currency: cur})
	}
	slices.SortFunc(h.Outstanding, func(a, b invoicing.Money) int { return strings.Compare(a.Currency, b.Currency) })
	return h, nil
}

func (f *fakeInvoicing) Resume(context.Context) (invoicing.ResumeResult, error) {
	f.resumed++
	return invoicing.ResumeResult{}, nil
}

func (f *fakeInvoicing) Refresh(context.Context) (invoicing.RefreshResult, error) {
	if f.refresh != nil {
		return invoicing.RefreshResult{Changed: 1}, f.refresh(f)
	}
	return f.refreshed, nil
}

func (f *fakeInvoicing) setState(id string, st invoicing.State) {
	for i := range f.invoices {
		if f.invoices[i].Invoice.ID == id {
			f.invoices[i].Status = invoicing.Status{State: st}
		}
	}
}

func (f *fakeInvoicing) Void(_ context.Context, id string) (invoicing.Invoice, error) {
	if f.actionErr != nil {
		return invoicing.Invoice{}, f.actionErr
	}
	f.voided = append(f.voided, id)
	f.setState(id, invoicing.Voided)
	return invoicing.Invoice{ID: id}, nil
}

func (f *fakeInvoicing) Delete(_ context.Context, id string) (invoicing.Invoice, error) {
	if f.actionErr != nil {
		return invoicing.Invoice{}, f.actionErr
	}
	f.deleted = append(f.deleted, id)
	f.setState(id, invoicing.Deleted)
	return invoicing.Invoice{ID: id, Deleted: true}, nil
}

func (f *fakeInvoicing) Send(_ context.Context, id, to string) (invoicing.Invoice, error) {
	f.sentTo = append(f.sentTo, to)
	return invoicing.Invoice{ID: id}, nil
}

func (f *fakeInvoicing) PDF(context.Context, string) (string, error) { return f.pdfPath, nil }

func (f *fakeInvoicing) InvoiceURL(id string) string {
	return "https://app.qbo.example/app/invoice?txnId=" + id
}

// savedFile stands in for the system's save dialog and the platform's file actions: the rep chooses the
// suggested name in dir, or cancels; Open and Show in folder are recorded instead of launched.
type savedFile struct {
	dir    string         // where the rep saves; newScreensWindow makes it
	cancel bool           // the rep presses Cancel
	asked  []SaveQuestion // what the dialog asked, in order
	path   string         // the path chosen last
	opened []string       // the files Open opened
	shown  []string       // the files Show in folder showed
	failed error          // what Open and Show in folder return
}

func (s *savedFile) ask(_ context.Context, q SaveQuestion) (string, error) {
	s.asked = append(s.asked, q)
	if s.cancel {
		return "", nil
	}
	s.path = filepath.Join(s.dir, q.Name)
	return s.path, nil
}

func (s *savedFile) open(_ context.Context, path string) error {
	s.opened = append(s.opened, path)
	return s.failed
}

func (s *savedFile) show(_ context.Context, path string) error {
	s.shown = append(s.shown, path)
	return s.failed
}

// data is what the window wrote at the path chosen last.
func (s *savedFile) data(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// sampleService has three deals, a draft for Acme with one product at 100.00 EUR and 20 % tax, and no invoices.
func sampleService() *fakeInvoicing {
	updated := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	return &fakeInvoicing{
		deals: []invoicing.Deal{
			{ID: 1, Title: "Acme renewal", OrgName: "Acme Ltd", Value: testkit.Dec("1200"), Currency: "EUR", Status: invoicing.DealOpen, OwnerID: 7, UpdatedAt: updated},
			{ID: 2, Title: "Globex rollout", OrgName: "Globex", Value: testkit.Dec("5000"), Currency: "USD", Status: invoicing.DealWon, OwnerID: 8, UpdatedAt: updated},
			{ID: 3, Title: "Initech pilot", OrgName: "Initech", Value: testkit.Dec("300"), Currency: "EUR", Status: invoicing.DealLost, OwnerID: 7, UpdatedAt: updated},
		},
		company:  invoicing.Company{HomeCurrency: "EUR", MultiCurrency: true, TaxModel: invoicing.TaxGlobal},
		items:    []invoicing.Item{{ID: "5", Name: "Services"}, {ID: "6", Name: "Hardware"}},
		taxCodes: []invoicing.TaxCode{{ID: "3", Name: "VAT high", Rate: testkit.Dec("20")}, {ID: "4", Name: "VAT low", Rate: testkit.Dec("9")}},
		terms: []invoicing.Term{{ID: "1", Name: "Due on receipt"}, {ID: "3", Name: "Net 30", DueDays: 30},
			{ID: "7", Name: "15th of next month", DateDriven: true}},
		built: invoicing.BuiltDraft{
			Draft: invoicing.Draft{
				Customer: invoicing.Customer{To: "Acme Ltd", Address: "1 Main Street, Utrecht", Email: "billing@acme.example",
					Party: invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 11}},
				Currency: "EUR", IssueDate: invoicing.NewDate(2026, 3, 13), DueDate: invoicing.NewDate(2026, 3, 27),
				InvoiceNumber: "1001",
				Tax:           invoicing.TaxSettings{Model: invoicing.TaxGlobal, Calculation: invoicing.TaxExcluded},
				Lines: []invoicing.Line{{ProductID: 21, Name: "Support plan", ItemRef: "5", Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("100"),
					TaxCode: "3", TaxRate: testkit.Dec("20"), Recurring: true}},
			},
			Matches: []invoicing.CustomerMatch{{Customer: invoicing.QBCustomer{ID: "58", DisplayName: "Acme Ltd", Email: "ap@acme.example"}, Kind: invoicing.ExactName}},
		},
	}
}

// openInvoice is an invoice as QuickBooks last reported it: 1002 for Acme, 240.00 EUR, nothing paid.
func openInvoice() invoicing.HistoryItem {
	return invoicing.HistoryItem{DealID: 1, Status: invoicing.Status{State: invoicing.Open}, Invoice: invoicing.Invoice{
		ID: "130", DocNumber: "1002", CustomerName: "Acme Ltd", Currency: "EUR", BillEmail: "billing@acme.example",
		IssueDate: invoicing.NewDate(2026, 3, 1), DueDate: invoicing.NewDate(2026, 3, 15), Total: testkit.Dec("240"), Balance: testkit.Dec("240"),
	}}
}

// newScreensWindow opens the window over svc, with background work run inline and files saved into saved.
func newScreensWindow(t testing.TB, svc Invoicing, saved *savedFile) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	if saved.dir == "" {
		saved.dir = t.TempDir()
	}
	m := NewMainWindow(a, Deps{
		Language:     "en",
		Settings:     &memorySettings{values: map[string]string{}},
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Invoicing:    svc,
		AskSavePath:  saved.ask,
		OpenFile:     saved.open,
		ShowInFolder: saved.show,
		Background:   func(work func()) { work() },
	})
	m.window.Resize(fyne.NewSize(1024, 680))
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m
}

// rowsOf returns the rows a list has drawn.
func rowsOf[T fyne.CanvasObject](list fyne.CanvasObject) []T {
	var rows []T
	walk(list, func(o any) {
		if r, ok := o.(T); ok && r.Visible() {
			rows = append(rows, r)
		}
	})
	return rows
}

// overlayButton returns the button labelled text in a dialog over the window.
func overlayButton(t *testing.T, m *MainWindow, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	for _, o := range m.window.Canvas().Overlays().List() {
		walk(o, func(v any) {
			if b, ok := v.(*widget.Button); ok && b.Text == text && b.Visible() {
				found = b
			}
		})
	}
	if found == nil {
		t.Fatalf("no %q button in a dialog", text)
	}
	return found
}
