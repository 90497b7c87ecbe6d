package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// keyDemoHistory marks, in the demo's settings, that the invoices seeded for the demo's deals were
// linked to them, so a later start over the same store links nothing twice.
const keyDemoHistory = "demo.history_linked"

// SeededInvoice is an invoice the demo QuickBooks holds for a deal of the demo Pipedrive company.
type SeededInvoice struct {
	DealID    int64
	InvoiceID string
}

// demoCurrencies are the currencies of the demo deals given invoices, two deals each.
var demoCurrencies = []string{"USD", "EUR", "GBP", "SEK"}

// demoInvoiceStory is what happened to the invoice of one picked deal: its issue and due dates in days
// from the demo's today, and what QuickBooks did with it since.
type demoInvoiceStory struct {
	issued, due int
	then        func(qb *qbofake.Server, inv *qbofake.Invoice) error
	// deleted: QuickBooks deletes the invoice once Dealbooks holds it, since only an invoice it already
	// knew can show as deleted.
	deleted bool
}

// demoStories give the picked deals, in order, an invoice in every status the history shows.
var demoStories = []demoInvoiceStory{
	{issued: -3, due: 27}, // open
	{issued: -6, due: 24, then: func(qb *qbofake.Server, inv *qbofake.Invoice) error { // sent
		_, err := qb.SendInvoice(inv.ID, "")
		return err
	}},
	{issued: -12, due: 18, then: payPart(2)},  // partially paid
	{issued: -40, due: -10, then: payPart(1)}, // paid
	{issued: -45, due: -15},                   // overdue
	{issued: -20, due: 10, then: voidInvoice}, // voided
	{issued: -15, due: 15, deleted: true},     // deleted
	{issued: -60, due: -30, then: payPart(3)}, // overdue, partially paid
}

// payPart records a payment of the invoice's total divided by parts, in whole units; payPart(1) pays
// it all.
func payPart(parts int64) func(qb *qbofake.Server, inv *qbofake.Invoice) error {
	return func(qb *qbofake.Server, inv *qbofake.Invoice) error {
		amount := inv.TotalAmt.Decimal
		if parts > 1 {
			amount = amount.Div(decimal.NewFromInt(parts)).Floor()
		}
		_, err := qb.RecordPayment(inv.ID, amount)
		return err
	}
}

func voidInvoice(qb *qbofake.Server, inv *qbofake.Invoice) error {
	_, err := qb.VoidInvoice(inv.ID)
	return err
}

// seedDealInvoices gives picked deals of data an invoice each in the demo QuickBooks, in every status,
// for a customer of the deal's organization in the deal's currency, with a line per product of the
// deal. Dates count from now. It records the invoices in d.Seeded.
func (d *Demo) seedDealInvoices(data pipedrivefake.Dataset, now time.Time) error {
	qb := d.QuickBooks
	for n, deal := range pickDemoDeals(data, 2) {
		if n == len(demoStories) {
			break
		}
		story := demoStories[n]
		org := find(data.Organizations, func(o pipedrivefake.Organization) bool { return o.ID == *deal.OrgID })
		email := personEmail(data, deal)
		party := invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: org.ID}
		i := slices.IndexFunc(d.customerLinks, func(l invoicing.CustomerLink) bool { return l.Party == party && l.Currency == deal.Currency })
		if i < 0 {
			c, err := qb.AddCustomer(demoCustomer(qb, org.Name, deal.Currency, email))
			if err != nil {
				return fmt.Errorf("add the customer of %s: %w", org.Name, err)
			}
			d.customerLinks = append(d.customerLinks, invoicing.CustomerLink{Party: party, Currency: deal.Currency, CustomerID: c.ID, DisplayName: c.DisplayName})
			i = len(d.customerLinks) - 1
		}
		inv, err := qb.AddInvoice(qbofake.Invoice{
			CustomerRef: &qbofake.Ref{Value: d.customerLinks[i].CustomerID}, CurrencyRef: &qbofake.Ref{Value: deal.Currency},
			TxnDate:   now.AddDate(0, 0, story.issued).Format(time.DateOnly),
			DueDate:   now.AddDate(0, 0, story.due).Format(time.DateOnly),
			BillEmail: &qbofake.Email{Address: email},
			Line:      dealLines(data, deal.ID, qb.DefaultItemID()),
		})
		if err != nil {
			return fmt.Errorf("add the invoice of deal %d: %w", deal.ID, err)
		}
		if story.then != nil {
			if err := story.then(qb, inv); err != nil {
				return fmt.Errorf("settle the invoice of deal %d: %w", deal.ID, err)
			}
		}
		if story.deleted {
			d.deleteLater = inv.ID
		}
		d.Seeded = append(d.Seeded, SeededInvoice{DealID: deal.ID, InvoiceID: inv.ID})
	}
	return nil
}

// pickDemoDeals picks perCurrency won deals in each demo currency, in the order of data, each with an
// organization, a person with an e-mail address and products; the currencies take turns.
func pickDemoDeals(data pipedrivefake.Dataset, perCurrency int) []pipedrivefake.Deal {
	withProducts := map[int64]bool{}
	for _, dp := range data.DealProducts {
		withProducts[dp.DealID] = withProducts[dp.DealID] || dp.IsEnabled
	}
	byCurrency := map[string][]pipedrivefake.Deal{}
	for _, d := range data.Deals {
		if d.IsDeleted || d.Status != "won" || d.OrgID == nil || !withProducts[d.ID] || personEmail(data, d) == "" ||
			!slices.Contains(demoCurrencies, d.Currency) || len(byCurrency[d.Currency]) == perCurrency {
			continue
		}
		byCurrency[d.Currency] = append(byCurrency[d.Currency], d)
	}
	var picked []pipedrivefake.Deal
	for i := range perCurrency {
		for _, cur := range demoCurrencies {
			if i < len(byCurrency[cur]) {
				picked = append(picked, byCurrency[cur][i])
			}
		}
	}
	return picked
}

// demoCustomer is the customer Dealbooks would create in qb for the organization name in currency:
// named after it, with the currency added when a customer of that name exists already (in another
// currency: QuickBooks fixes a customer's currency).
func demoCustomer(qb *qbofake.Server, name, currency, email string) qbofake.Customer {
	if slices.ContainsFunc(qb.Customers(), func(c qbofake.Customer) bool { return strings.EqualFold(c.DisplayName, name) }) {
		name = invoicing.CustomerNameForCurrency(name, currency)
	}
	return qbofake.Customer{DisplayName: name, CompanyName: name, PrimaryEmailAddr: &qbofake.Email{Address: email},
		CurrencyRef: &qbofake.Ref{Value: currency}}
}

// dealLines are the invoice lines of the deal's enabled products, as the item itemID, untaxed (NON: the
// demo company is in the US).
func dealLines(data pipedrivefake.Dataset, dealID int64, itemID string) []qbofake.Line {
	var lines []qbofake.Line
	for _, dp := range data.DealProducts {
		if dp.DealID != dealID || !dp.IsEnabled {
			continue
		}
		lines = append(lines, qbofake.Line{DetailType: "SalesItemLineDetail", Description: dp.Name,
			SalesItemLineDetail: &qbofake.SalesItemLineDetail{
				ItemRef: &qbofake.Ref{Value: itemID}, Qty: &qbofake.Num{Decimal: dp.Quantity.Decimal},
				UnitPrice: &qbofake.Num{Decimal: dp.ItemPrice.Decimal}, TaxCodeRef: &qbofake.Ref{Value: "NON"},
			}})
	}
	return lines
}

// personEmail is the primary e-mail address of the deal's person, "" when there is none.
func personEmail(data pipedrivefake.Dataset, d pipedrivefake.Deal) string {
	if d.PersonID == nil {
		return ""
	}
	p := find(data.Persons, func(p pipedrivefake.Person) bool { return p.ID == *d.PersonID })
	for _, e := range p.Emails {
		if e.Primary {
			return e.Value
		}
	}
	return ""
}

// find returns the first element of list for which match holds, or the zero value.
func find[T any](list []T, match func(T) bool) T {
	if i := slices.IndexFunc(list, match); i >= 0 {
		return list[i]
	}
	var zero T
	return zero
}

// fillHistory runs when the demo's invoicing service first opens in this run (it is the demo profile's
// accounts.Options.AfterServiceOpened). Unless a run over the same store did so already, it links the
// seeded invoices to their deals and the organizations to their customers; then QuickBooks deletes the
// invoice meant to show as deleted, and a refresh brings that into the history and sets the point the
// next refresh asks for changes since.
func (d *Demo) fillHistory(ctx context.Context, svc *invoicing.Service, repo invoicing.Repository) error {
	d.historyMu.Lock()
	defer d.historyMu.Unlock()
	if d.historyFilled {
		return nil
	}
	_, linked, err := d.settings.Setting(ctx, keyDemoHistory)
	if err != nil {
		return fmt.Errorf("demo: read %s: %w", keyDemoHistory, err)
	}
	if !linked {
		for _, s := range d.Seeded {
			if err := svc.AdoptInvoicesLocally(ctx, s.DealID, []string{s.InvoiceID}); err != nil {
				return fmt.Errorf("demo: link the demo invoices: %w", err)
			}
		}
		for _, l := range d.customerLinks {
			if err := repo.SaveCustomerLink(ctx, l); err != nil {
				return fmt.Errorf("demo: link the demo customers: %w", err)
			}
		}
		if err := d.settings.SetSetting(ctx, keyDemoHistory, "true"); err != nil {
			return fmt.Errorf("demo: record %s: %w", keyDemoHistory, err)
		}
	}
	if d.deleteLater != "" {
		if err := d.QuickBooks.DeleteInvoice(d.deleteLater); err != nil {
			return fmt.Errorf("demo: delete the demo invoice %s: %w", d.deleteLater, err)
		}
		d.deleteLater = ""
	}
	if _, err := svc.Refresh(ctx); err != nil {
		return fmt.Errorf("demo: refresh the demo invoices: %w", err)
	}
	d.historyFilled = true
	return nil
}
