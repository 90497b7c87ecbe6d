package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// openDeal is a deal of the seeded Pipedrive company the rep can invoice: open, in the QuickBooks company's
// currency, with an organization, a person and products, and a title no other deal has.
func openDeal(t *testing.T, s *stack) (pipedrivefake.Deal, pipedrivefake.Organization, []pipedrivefake.DealProduct) {
	t.Helper()
	titles := map[string]int{}
	for _, d := range s.data.Deals {
		titles[d.Title]++
	}
	for _, d := range s.data.Deals {
		products := dealProducts(s.data, d.ID)
		if d.Status == "open" && d.Currency == "USD" && d.OrgID != nil && d.PersonID != nil && len(products) > 0 && titles[d.Title] == 1 {
			for _, o := range s.data.Organizations {
				if o.ID == *d.OrgID {
					return d, o, products
				}
			}
		}
	}
	t.Fatal("the seeded company has no open USD deal with an organization, a person and products")
	return pipedrivefake.Deal{}, pipedrivefake.Organization{}, nil
}

func dealProducts(data pipedrivefake.Dataset, dealID int64) []pipedrivefake.DealProduct {
	var out []pipedrivefake.DealProduct
	for _, p := range data.DealProducts {
		if p.DealID == dealID {
			out = append(out, p)
		}
	}
	return out
}

// moneyText is how the editor shows an amount.
// moneyText is an amount as the English window writes it: with its currency's decimals, a comma between
// thousands, and the code, as in "32,569.80 USD".
func moneyText(amount decimal.Decimal, currency string) string {
	plain := strings.TrimSpace(invoicing.Money{Amount: amount, Currency: currency}.String())
	number, code, _ := strings.Cut(plain, " ")
	sign := ""
	if strings.HasPrefix(number, "-") {
		sign, number = "-", number[1:]
	}
	whole, frac, hasFrac := strings.Cut(number, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if hasFrac {
		whole += "." + frac
	}
	return strings.TrimSpace(sign + whole + " " + code)
}

// newInvoices returns the invoices QuickBooks holds that are not in before.
func newInvoices(before, after []qbofake.Invoice) []qbofake.Invoice {
	var out []qbofake.Invoice
	for _, inv := range after {
		if !slices.ContainsFunc(before, func(b qbofake.Invoice) bool { return b.ID == inv.ID }) {
			out = append(out, inv)
		}
	}
	return out
}

// Issue 6: picker → editor → edit a line → Create → the invoice in the deal's history, against the fakes.
func TestPickEditCreateAgainstTheFakes(t *testing.T) {
	s := newStack(t)
	s.open(t)
	deal, org, products := openDeal(t, s)
	c := s.window.Window().Canvas()
	deals := openTab(t, content(s), "Deals")

	// The picker: the deals load from Pipedrive by themselves the first time; typing the title leaves the one deal.
	picker := list(t, deals)
	if len(rows(picker)) == 0 {
		t.Fatal("once connected, the picker lists no deals by itself")
	}
	test.Type(entry(t, deals, "Search deals by title, organization or person"), deal.Title)
	listed := rows(picker)
	if len(listed) != 1 || !listed[0].has(deal.Title) || !listed[0].has(org.Name) || !listed[0].has("Open") {
		t.Fatalf("typing the title lists %v, want the one deal %q of %q, Open", listed, deal.Title, org.Name)
	}
	picked := listed[0]
	test.Tap(picked.tap)

	// The editor, pre-filled from the deal: the organization as the customer, the products as lines.
	editor := openTab(t, content(s), "New invoice")
	if to := fieldEntry(t, editor, "To").Text; to != org.Name {
		t.Errorf("To = %q, want the organization %q", to, org.Name)
	}
	if currency := fieldEntry(t, editor, "Currency").Text; currency != "USD" {
		t.Errorf("Currency = %q, want USD", currency)
	}
	entries := entries(card(t, editor, "Items"))
	const perLine = 4 // product, quantity, unit price, discount
	if len(entries) != perLine*len(products) {
		t.Fatalf("the items show %d entries, want %d for %d lines", len(entries), perLine*len(products), len(products))
	}
	var names, want []string
	for i := 0; i < len(entries); i += perLine {
		names = append(names, entries[i].Text)
	}
	for _, p := range products {
		want = append(want, p.Name)
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("lines %q, want the deal's products %q", names, want)
	}

	// Editing the first line's quantity updates the total shown to what the domain computes.
	built, err := s.svc.BuildDraft(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	draft := built.Draft
	if before := captioned(t, editor, "Total"); before != moneyText(invoicing.ComputeTotals(draft).Total, "USD") {
		t.Errorf("total before editing = %q, want %q", before, moneyText(invoicing.ComputeTotals(draft).Total, "USD"))
	}
	quantity := entries[1]
	retype(c, quantity, "7")
	draft.Lines[0].Quantity = decimal.NewFromInt(7)
	total := invoicing.ComputeTotals(draft).Total
	if got := captioned(t, editor, "Total"); got != moneyText(total, "USD") {
		t.Errorf("total after quantity 7 = %q, want %q", got, moneyText(total, "USD"))
	}

	// Create makes exactly one invoice in QuickBooks, with that quantity and that total.
	before := s.qbo.Invoices()
	test.Tap(button(t, editor, "Create invoice"))
	if texts := dialogTexts(s); len(texts) > 0 {
		t.Fatalf("a dialog stays open after Create: %q", texts)
	}
	created := newInvoices(before, s.qbo.Invoices())
	if len(created) != 1 {
		t.Fatalf("QuickBooks got %d new invoices, want 1", len(created))
	}
	inv := created[0]
	if first := inv.Line[0].SalesItemLineDetail; first == nil || first.Qty == nil || !first.Qty.Equal(decimal.NewFromInt(7)) {
		t.Errorf("the invoice's first line is %+v, want quantity 7", inv.Line[0])
	}
	if inv.TotalAmt == nil || !inv.TotalAmt.Equal(total) {
		t.Errorf("QuickBooks charges %v, the editor showed %s", inv.TotalAmt, total)
	}

	// The deal view now shows the deal's history, with the invoice in it, Open.
	dealTabs, historyTab := tabs(t, content(s), "Invoices of this deal")
	if dealTabs.Selected() != historyTab {
		t.Errorf("after Create the deal view shows %q, want its history", dealTabs.Selected().Text)
	}
	history := historyTab.Content
	listed = rows(list(t, history))
	// Open, created by the signed-in Pipedrive user (issue 14).
	open := "Open · by " + s.data.Me.Name
	if len(listed) != 1 || !listed[0].has(inv.DocNumber) || !listed[0].has(open) {
		t.Fatalf("the deal's history shows %v, want invoice %s %q", listed, inv.DocNumber, open)
	}
	// And so does the Invoices view of every deal.
	if r := rowWith(t, list(t, openTab(t, content(s), "Invoices")), inv.DocNumber); !r.has(org.Name) || !r.has(open) {
		t.Errorf("the Invoices view shows %q for invoice %s, want %s and %q", r.texts, inv.DocNumber, org.Name, open)
	}

	// Back in the editor, the deal's invoice shows at the top and Create only offers another one, after asking.
	openTab(t, content(s), "Deals")
	editor = openTab(t, content(s), "New invoice")
	if !slices.ContainsFunc(texts(editor), func(s string) bool {
		return strings.HasPrefix(s, "This deal already has 1 invoice(s): "+inv.DocNumber+" (Open, "+moneyText(total, "USD")+")")
	}) {
		t.Errorf("the editor does not show invoice %s above the draft: %q", inv.DocNumber, texts(editor))
	}
	before = s.qbo.Invoices()
	test.Tap(button(t, editor, "Create another invoice"))
	test.Tap(dialogButton(t, s, "No"))
	if got := newInvoices(before, s.qbo.Invoices()); len(got) != 0 {
		t.Errorf("QuickBooks got %d invoices without the rep confirming another", len(got))
	}
}
