package invoicing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// HistoryItem is one invoice in the history: created in QuickBooks, or
// queued in the outbox (OutboxID set, Status.State Queued).
type HistoryItem struct {
	Invoice   Invoice
	DealID    int64
	Status    Status // derived for today
	OutboxID  int64
	FetchedAt time.Time // when it was last read from QuickBooks
	// CreatedBy names the rep (Pipedrive user) who created the invoice in
	// Dealbooks; "" when not known, CreatorID then being their Pipedrive
	// user id from the invoice's marker (0: none).
	CreatedBy string
	CreatorID int64
	// LastChange is the last action a rep took on it in Dealbooks.
	LastChange Change
}

// HistorySort orders the history.
type HistorySort int

// The history orders.
const (
	// ByIssueDate: newest issue date first.
	ByIssueDate HistorySort = iota
	// ByDueDate: earliest due date first; invoices without one last.
	ByDueDate
	// ByAmount: largest total first.
	ByAmount
)

// HistoryQuery selects and orders the history.
type HistoryQuery struct {
	DealID      int64   // 0: all deals
	States      []State // empty: every state
	OverdueOnly bool
	// Text, when not empty, keeps invoices whose number or customer name
	// contains it, ignoring case.
	Text string
	Sort HistorySort
}

// History is the invoice history as the cache holds it.
type History struct {
	Items []HistoryItem
	// Outstanding is the unpaid balance of the listed QuickBooks invoices,
	// one Money per currency, by currency code. Queued invoices are not in it.
	Outstanding []Money
	// UpdatedAt is when the invoices were last refreshed; zero if never.
	UpdatedAt time.Time
}

// History returns the invoices matching q from the cache at once (it works
// offline), queued outbox entries included.
func (s *Service) History(ctx context.Context, q HistoryQuery) (History, error) {
	cached, err := s.repo.Invoices(ctx, q.DealID)
	if err != nil {
		return History{}, fmt.Errorf("read cached invoices: %w", err)
	}
	pending, err := s.repo.PendingOutbox(ctx)
	if err != nil {
		return History{}, fmt.Errorf("read outbox: %w", err)
	}
	st, err := s.repo.SyncState(ctx)
	if err != nil {
		return History{}, fmt.Errorf("read sync state: %w", err)
	}
	today := s.today()
	// Items are large: sized once, so thousands are not copied as the slice grows.
	h := History{Items: make([]HistoryItem, 0, len(cached)+len(pending)), UpdatedAt: st.InvoicesSyncedAt}
	keep := func(it HistoryItem) {
		if q.keeps(it) {
			h.Items = append(h.Items, it)
		}
	}
	for _, ci := range cached {
		it := HistoryItem{Invoice: ci.Invoice, DealID: ci.DealID, Status: ci.Invoice.Status(today), FetchedAt: ci.FetchedAt,
			CreatedBy: ci.CreatedBy, LastChange: ci.LastChange}
		if m, ok := ParseMarker(ci.Invoice.PrivateNote); ok && it.CreatedBy == "" {
			it.CreatorID = m.RepID
		}
		keep(it)
	}
	for _, e := range pending {
		if !e.InQuickBooks() && (q.DealID == 0 || e.DealID == q.DealID) {
			keep(queuedItem(e, today))
		}
	}
	sortHistory(h.Items, q.Sort)
	h.Outstanding = outstanding(h.Items)
	return h, nil
}

// queuedItem shows an outbox entry as an invoice in the history.
func queuedItem(e OutboxEntry, today Date) HistoryItem {
	d := e.Draft
	t := ComputeTotals(d)
	total := t.Total
	inv := Invoice{
		DocNumber: d.InvoiceNumber, CustomerID: d.Customer.LinkedID, CustomerName: d.Customer.To,
		Currency: d.Currency, IssueDate: d.IssueDate, DueDate: d.DueDate, Total: total, Balance: total,
		Tax: t.Tax, Discount: t.Discount,
	}
	st := DeriveStatus(StatusInput{Total: total, Balance: total, DueDate: d.DueDate, Queued: true, Today: today})
	return HistoryItem{Invoice: inv, DealID: e.DealID, Status: st, OutboxID: e.ID}
}

func (q HistoryQuery) keeps(it HistoryItem) bool {
	if len(q.States) > 0 && !slices.Contains(q.States, it.Status.State) {
		return false
	}
	if q.OverdueOnly && !it.Status.Overdue {
		return false
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	return text == "" ||
		strings.Contains(strings.ToLower(it.Invoice.DocNumber), text) ||
		strings.Contains(strings.ToLower(it.Invoice.CustomerName), text)
}

func sortHistory(items []HistoryItem, by HistorySort) {
	slices.SortStableFunc(items, func(a, b HistoryItem) int {
		var c int
		switch by {
		case ByDueDate:
			c = compareDates(a.Invoice.DueDate, b.Invoice.DueDate)
		case ByAmount:
			c = b.Invoice.Total.Cmp(a.Invoice.Total)
		default:
			c = b.Invoice.IssueDate.Compare(a.Invoice.IssueDate)
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(b.Invoice.DocNumber, a.Invoice.DocNumber)
	})
}

// compareDates orders dates earliest first, the zero date last.
func compareDates(a, b Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// outstanding sums the positive balances of open, partially paid and
// overdue QuickBooks invoices per currency.
func outstanding(items []HistoryItem) []Money {
	sums := map[string]decimal.Decimal{}
	for _, it := range items {
		st := it.Status.State
		if (st == Open || st == PartiallyPaid) && it.Invoice.Balance.IsPositive() {
			sums[it.Invoice.Currency] = sums[it.Invoice.Currency].Add(it.Invoice.Balance)
		}
	}
	out := make([]Money, 0, len(sums))
	for cur, amount := range sums {
		out = append(out, Money{Amount: amount, Currency: cur})
	}
	slices.SortFunc(out, func(a, b Money) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// Rows turns the history into rows for WriteHistoryCSV.
func (h History) Rows() []HistoryRow {
	rows := make([]HistoryRow, len(h.Items))
	for i, it := range h.Items {
		inv := it.Invoice
		rows[i] = HistoryRow{
			Number: inv.DocNumber, Customer: inv.CustomerName, IssueDate: inv.IssueDate, DueDate: inv.DueDate,
			Total: inv.Total, Balance: inv.Balance, Currency: inv.Currency, Status: it.Status,
		}
	}
	return rows
}
