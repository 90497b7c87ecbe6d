package invoicing

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// AlreadyInvoiced is what a deal has been billed so far, shown above the
// draft so the rep does not bill it twice by mistake.
type AlreadyInvoiced struct {
	// Invoices are the deal's invoices that stand: created in QuickBooks
	// or queued in the outbox, in any state but Deleted and Voided.
	Invoices []HistoryItem
	// DealValue is the deal's value in Pipedrive, in the deal's currency.
	DealValue Money
	// Invoiced is the sum of the totals of Invoices in the deal's currency
	// (a queued invoice counts with the total computed for it, tax included).
	Invoiced decimal.Decimal
	// ToBill is DealValue − Invoiced: what is still to bill; negative when
	// the invoices add up to more than the deal.
	ToBill decimal.Decimal
}

// Any reports whether the deal already has an invoice that stands.
func (a AlreadyInvoiced) Any() bool { return len(a.Invoices) > 0 }

// AlreadyInvoicedError refuses a second invoice for a deal that has one,
// unless the draft says Another. It names the invoices that stand.
type AlreadyInvoicedError struct {
	DealID   int64
	Invoices []HistoryItem
}

func (e *AlreadyInvoicedError) Error() string {
	names := make([]string, len(e.Invoices))
	for i, it := range e.Invoices {
		names[i] = invoiceName(it)
	}
	return fmt.Sprintf("deal %d already has %s; create another invoice explicitly to bill it again",
		e.DealID, strings.Join(names, ", "))
}

// invoiceName names an invoice for messages: "invoice 1037 (Id 130)", or a
// queued one that QuickBooks has no Id for yet.
func invoiceName(it HistoryItem) string {
	number := it.Invoice.DocNumber
	if number == "" {
		number = "without a number"
	}
	if it.Invoice.ID == "" {
		return fmt.Sprintf("invoice %s (queued, not in QuickBooks yet)", number)
	}
	return fmt.Sprintf("invoice %s (Id %s)", number, it.Invoice.ID)
}

// AlreadyInvoiced returns the deal's invoices that stand and what is still
// to bill of its value. It reads the local cache and outbox only, so it
// works offline; invoices made outside Dealbooks are not known to it.
func (s *Service) AlreadyInvoiced(ctx context.Context, deal Deal) (AlreadyInvoiced, error) {
	items, err := s.standingInvoices(ctx, deal.ID)
	if err != nil {
		return AlreadyInvoiced{}, err
	}
	cur := strings.ToUpper(strings.TrimSpace(deal.Currency))
	a := AlreadyInvoiced{Invoices: items, DealValue: Money{Amount: deal.Value, Currency: cur}}
	for _, it := range items {
		if strings.EqualFold(it.Invoice.Currency, cur) {
			a.Invoiced = a.Invoiced.Add(it.Invoice.Total)
		}
	}
	a.ToBill = deal.Value.Sub(a.Invoiced)
	return a, nil
}

// standingInvoices returns the deal's invoices in any state but Deleted and
// Voided, queued ones included, oldest first.
func (s *Service) standingInvoices(ctx context.Context, dealID int64) ([]HistoryItem, error) {
	if dealID == 0 {
		return nil, nil
	}
	h, err := s.History(ctx, HistoryQuery{DealID: dealID})
	if err != nil {
		return nil, err
	}
	var items []HistoryItem
	for i := len(h.Items) - 1; i >= 0; i-- { // History lists the newest first
		if st := h.Items[i].Status.State; st != Deleted && st != Voided {
			items = append(items, h.Items[i])
		}
	}
	return items, nil
}

// refuseSecondInvoice returns an *AlreadyInvoicedError when the draft's deal
// already has an invoice that stands and the draft does not ask for another.
func (s *Service) refuseSecondInvoice(ctx context.Context, d Draft) error {
	if d.Another || d.DealID == 0 {
		return nil
	}
	items, err := s.standingInvoices(ctx, d.DealID)
	if err != nil || len(items) == 0 {
		return err
	}
	return &AlreadyInvoicedError{DealID: d.DealID, Invoices: items}
}
