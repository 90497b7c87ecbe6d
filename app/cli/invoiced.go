package cli

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// invoicedJSON is what the deal has been billed so far, above its draft.
type invoicedJSON struct {
	Invoices  []invoicedInvoiceJSON `json:"invoices"`
	DealValue decimal.Decimal       `json:"deal_value"`
	Invoiced  decimal.Decimal       `json:"invoiced"`
	ToBill    decimal.Decimal       `json:"to_bill"`
	Currency  string                `json:"currency"`
}

type invoicedInvoiceJSON struct {
	ID       string          `json:"id,omitempty"` // empty while queued
	Number   string          `json:"number,omitempty"`
	Total    decimal.Decimal `json:"total"`
	Currency string          `json:"currency"`
	Status   string          `json:"status"`
}

// invoicedOut is nil for a deal never invoiced, so the draft says nothing about it.
func invoicedOut(a invoicing.AlreadyInvoiced) *invoicedJSON {
	if !a.Any() {
		return nil
	}
	out := &invoicedJSON{DealValue: a.DealValue.Amount, Invoiced: a.Invoiced, ToBill: a.ToBill, Currency: a.DealValue.Currency}
	for _, it := range a.Invoices {
		out.Invoices = append(out.Invoices, invoicedInvoiceJSON{ID: it.Invoice.ID, Number: it.Invoice.DocNumber,
			Total: it.Invoice.Total, Currency: it.Invoice.Currency, Status: it.Status.String()})
	}
	return out
}

// printInvoiced writes the deal's invoices and what is still to bill, at the top of the draft.
func printInvoiced(w io.Writer, a *invoicedJSON) {
	if a == nil {
		return
	}
	for _, inv := range a.Invoices {
		id := "queued"
		if inv.ID != "" {
			id = "Id " + inv.ID
		}
		fmt.Fprintf(w, "Already invoiced\t%s (%s): %s %s, %s\n", inv.Number, id, money(inv.Total, inv.Currency), inv.Currency, inv.Status)
	}
	fmt.Fprintf(w, "Still to bill\t%s of %s %s (invoice create needs --another)\n",
		money(a.ToBill, a.Currency), money(a.DealValue, a.Currency), a.Currency)
}

// itemNote says on a draft line how its QuickBooks item was found when nothing matched the product.
func itemNote(l lineJSON) string {
	if l.ItemMatch != invoicing.ItemDefault.String() {
		return ""
	}
	code := ""
	if l.ProductCode != "" {
		code = " " + l.ProductCode
	}
	return fmt.Sprintf("\t(no QuickBooks item matches product%s; default item %s)", code, l.ItemRef)
}
