package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// AlreadyInvoiced lists the fake's invoices of the deal that stand, as the service does.
func (f *fakeInvoicing) AlreadyInvoiced(_ context.Context, deal invoicing.Deal) (invoicing.AlreadyInvoiced, error) {
	for _, d := range f.deals {
		if d.ID == deal.ID {
			deal = d
		}
	}
	a := invoicing.AlreadyInvoiced{DealValue: invoicing.Money{Amount: deal.Value, Currency: deal.Currency}}
	for i := len(f.invoices) - 1; i >= 0; i-- {
		it := f.invoices[i]
		if it.DealID != deal.ID || it.Status.State == invoicing.Deleted || it.Status.State == invoicing.Voided {
			continue
		}
		a.Invoices = append(a.Invoices, it)
		if it.Invoice.Currency == deal.Currency {
			a.Invoiced = a.Invoiced.Add(it.Invoice.Total)
		}
	}
	a.ToBill = deal.Value.Sub(a.Invoiced)
	return a, nil
}

func TestEditorShowsWhatTheDealAlreadyHasAndCreatesAnotherOnlyWhenConfirmed(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()} // 1002 for the Acme deal, 240.00 EUR of its 1200.00
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	if !e.invoicedLabel.Visible() {
		t.Fatal("the editor does not say the deal already has an invoice")
	}
	for _, want := range []string{"1002", "Open", "240.00 EUR", "Still to bill: 960.00 EUR of the deal's 1,200.00 EUR"} {
		if !strings.Contains(e.invoicedLabel.Text, want) {
			t.Errorf("already invoiced says %q, want %q in it", e.invoicedLabel.Text, want)
		}
	}
	if e.create.Text != "Create another invoice" {
		t.Errorf("Create reads %q, want Create another invoice", e.create.Text)
	}

	test.Tap(e.create)
	if len(svc.created) != 0 {
		t.Fatal("another invoice was created without confirming")
	}
	test.Tap(dialogButton(t, m, "No"))
	if len(svc.created) != 0 {
		t.Fatal("another invoice was created although the rep said no")
	}
	test.Tap(e.create)
	test.Tap(dialogButton(t, m, "Yes"))
	if len(svc.created) != 1 || !svc.created[0].Another {
		t.Fatalf("created %+v, want one draft marked Another", svc.created)
	}
}

func TestEditorOffersOnlyCreateAnotherAfterCreating(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	e := v.editor
	if e.invoicedLabel.Visible() || e.create.Text != "Create invoice" {
		t.Fatalf("a deal never invoiced: label visible %v, button %q", e.invoicedLabel.Visible(), e.create.Text)
	}
	test.Tap(e.create)
	if len(svc.created) != 1 || svc.created[0].Another {
		t.Fatalf("created %+v, want one plain invoice", svc.created)
	}
	if e.create.Text != "Create another invoice" || !e.invoicedLabel.Visible() || !strings.Contains(e.invoicedLabel.Text, "1001") {
		t.Errorf("after creating: button %q, already invoiced %q", e.create.Text, e.invoicedLabel.Text)
	}
}

func TestEditorSaysWhenALineFellBackToTheDefaultItem(t *testing.T) {
	svc := sampleService()
	l := &svc.built.Draft.Lines[0]
	l.ProductCode, l.ItemMatch = "SUP-PREM", invoicing.ItemDefault
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	want := "No QuickBooks item matches Support plan (code SUP-PREM)"
	if !strings.Contains(e.warnings.Text, want) {
		t.Fatalf("warnings = %q, want %q", e.warnings.Text, want)
	}
	e.lines[0].item.SetSelected("Hardware")
	if strings.Contains(e.warnings.Text, want) {
		t.Errorf("the warning stays after the rep chose an item: %q", e.warnings.Text)
	}
	if got := e.draft.Lines[0]; got.ItemRef != "6" || got.ItemMatch != invoicing.ItemChosen || svc.itemLinks[21] != "6" {
		t.Errorf("line = item %s (%v), remembered %q; want the chosen 6", got.ItemRef, got.ItemMatch, svc.itemLinks[21])
	}
}

// The deal's history shows, for the chosen invoice, the tax, discount, deposit and home total QuickBooks
// reports (the figures of Intuit's deposit example: TotalAmt 52, Deposit 12, Balance 40).
func TestHistoryShowsTheFiguresQuickBooksReports(t *testing.T) {
	svc := sampleService()
	it := openInvoice()
	it.Invoice.Total, it.Invoice.Balance, it.Invoice.Deposit = testkit.Dec("52"), testkit.Dec("40"), testkit.Dec("12")
	it.Invoice.Tax, it.Invoice.Discount = testkit.Dec("4.33"), testkit.Dec("2.00")
	it.Invoice.HomeTotal, it.Invoice.ExchangeRate = testkit.Dec("56.16"), testkit.Dec("1.08")
	svc.invoices = []invoicing.HistoryItem{it}
	m := newScreensWindow(t, svc, &savedFile{})
	v := openEditor(t, m)
	v.tabs.SelectIndex(dealTabHistory)
	if v.history.figures.Visible() {
		t.Error("figures show before an invoice is chosen")
	}
	v.history.list.Select(0)
	want := "Tax 4.33 EUR · discount 2.00 EUR · deposit 12.00 EUR (not a payment) · 56.16 in the home currency at 1.08"
	if got := v.history.figures.Text; !v.history.figures.Visible() || got != want {
		t.Errorf("figures = %q, want %q", got, want)
	}
}
