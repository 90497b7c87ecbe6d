package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// This file shows, at the top of the editor, what the deal has already been billed, and makes a second invoice
// for it an explicit "Create another invoice".

// newInvoicedLabel returns the label that says what the deal already has; hidden while it has nothing.
func newInvoicedLabel() *widget.Label {
	l := label(&widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	l.Hide()
	return l
}

// showInvoiced shows the deal's invoices and what is still to bill, and turns Create into "Create another
// invoice" when the deal has one.
func (e *invoiceEditor) showInvoiced(a invoicing.AlreadyInvoiced) {
	e.invoiced = a
	e.create.SetText(lang.X("editor.create", "Create invoice"))
	if !a.Any() {
		e.invoicedLabel.Hide()
		return
	}
	e.create.SetText(lang.X("editor.create_another", "Create another invoice"))
	e.invoicedLabel.SetText(invoicedText(a))
	e.invoicedLabel.Show()
}

// invoicedText lists the deal's invoices and the amount still to bill.
func invoicedText(a invoicing.AlreadyInvoiced) string {
	names := make([]string, len(a.Invoices))
	for i, it := range a.Invoices {
		names[i] = lang.X("editor.invoiced.invoice", "{{.Number}} ({{.Status}}, {{.Total}})", map[string]any{
			"Number": invoiceNumberText(it), "Status": statusText(it.Status),
			"Total": money(it.Invoice.Total, it.Invoice.Currency),
		})
	}
	cur := a.DealValue.Currency
	return lang.X("editor.invoiced", "This deal already has {{.Count}} invoice(s): {{.Invoices}}. Still to bill: {{.ToBill}} of the deal's {{.Value}}.",
		map[string]any{
			"Count": len(a.Invoices), "Invoices": strings.Join(names, ", "),
			"ToBill": money(a.ToBill, cur), "Value": money(a.DealValue.Amount, cur),
		})
}

// invoiceNumberText names an invoice by its number, or says it waits to be sent.
func invoiceNumberText(it invoicing.HistoryItem) string {
	switch {
	case it.Invoice.DocNumber != "":
		return it.Invoice.DocNumber
	case it.Invoice.ID != "":
		return it.Invoice.ID
	}
	return lang.X("editor.invoiced.queued", "queued")
}

// onCreate checks the draft and sends it; for a deal that already has an invoice, only once the rep confirmed
// that another one is meant.
func (e *invoiceEditor) onCreate() {
	e.checked = true
	e.issues = e.validate()
	e.showProblems()
	if len(e.issues) > 0 || len(e.badInput) > 0 {
		e.focusFirstProblem()
		return
	}
	if !e.invoiced.Any() {
		e.send(false)
		return
	}
	e.m.showConfirm(dialog.NewConfirm(lang.X("editor.another.title", "Create another invoice?"),
		invoicedText(e.invoiced)+"\n\n"+lang.X("editor.another", "Create a further invoice for this deal?"),
		func(ok bool) {
			if ok {
				e.send(true)
			}
		}, e.m.window))
}

// refusedAsInvoiced shows what the deal already has when the service refused a second invoice (the editor's
// view of the deal was out of date), so the rep can confirm another; it reports whether err was that refusal.
func (e *invoiceEditor) refusedAsInvoiced(err error) bool {
	var ai *invoicing.AlreadyInvoicedError
	if !errors.As(err, &ai) {
		return false
	}
	a := e.invoiced
	a.Invoices = ai.Invoices
	e.showInvoiced(a)
	e.m.showProblem("create invoice", err)
	return true
}

// itemWarning says that no QuickBooks item matched a line's product and the line uses the default item.
func itemWarning(l invoicing.Line) string {
	if l.ProductCode != "" {
		return lang.X("editor.warning.item_code", "No QuickBooks item matches {{.Name}} (code {{.Code}}) by SKU or name; the line uses the default item. Choose its item if another is meant.",
			map[string]any{"Name": l.Name, "Code": l.ProductCode})
	}
	return lang.X("editor.warning.item", "No QuickBooks item matches {{.Name}} by name; the line uses the default item. Choose its item if another is meant.",
		map[string]any{"Name": l.Name})
}
