package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// adoptDialog links invoices made in QuickBooks to the deal: the invoices of the deal's customers that no
// Dealbooks has filed under a deal, one check each, and a field for the number of any other invoice.
type adoptDialog struct {
	l        *invoiceList
	deal     invoicing.Deal
	d        *dialog.ConfirmDialog
	progress *widget.ProgressBarInfinite
	message  *widget.Label
	checks   []*widget.Check
	list     *fyne.Container
	number   *textField
	found    []invoicing.Invoice // the candidates, as the checks list them
}

// onLink opens the dialog and reads the candidates off the UI goroutine, with progress meanwhile.
func (l *invoiceList) onLink() {
	a := &adoptDialog{l: l, deal: *l.deal}
	l.adopting = a
	a.progress = widget.NewProgressBarInfinite()
	a.message = label(&widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.X("adopt.loading", "Reading the invoices of this deal's customer from QuickBooks…")})
	a.list = container.NewVBox()
	a.number = newField(l.m)
	a.number.SetPlaceHolder(lang.X("adopt.number.hint", "e.g. 1042; several separated by spaces"))
	a.number.OnSubmitted = func(string) { a.d.Confirm() }
	content := container.NewVBox(a.message, a.progress, container.NewVScroll(a.list),
		widget.NewForm(widget.NewFormItem(lang.X("adopt.number", "Invoice number"), a.number)))
	a.d = dialog.NewCustomConfirm(lang.X("adopt.title", "Link invoices from QuickBooks"), lang.X("adopt.link", "Link"),
		lang.X("action.cancel", "Cancel"), content, a.onAnswer, l.m.window)
	a.d.Resize(fyne.NewSize(560, 420))
	l.m.showDialog(a.d, a.number)
	l.m.dialogs[len(l.m.dialogs)-1].enter = a.d.Confirm
	svc, deal := l.m.deps.Invoicing, a.deal
	read := func(ctx context.Context) (invoicing.AdoptCandidates, error) { return svc.AdoptCandidates(ctx, deal) }
	call(l.m.bg, networkCall, read, a.show)
}

// show lists the candidates, or says in one sentence why there are none.
func (a *adoptDialog) show(c invoicing.AdoptCandidates, err error) {
	a.progress.Stop()
	a.progress.Hide()
	switch {
	case err != nil:
		a.l.m.deps.Log.Error("read invoices to link", "err", err)
		a.message.SetText(explain(err) + " " + lang.X("adopt.by_number", "You can still link an invoice by its number."))
	case c.NoCustomer:
		a.message.SetText(lang.X("adopt.no_customer", "This deal's organization and person are not linked to a QuickBooks customer yet; link an invoice by its number instead."))
	case len(c.Invoices) == 0:
		a.message.SetText(lang.X("adopt.none", "The deal's customer has no invoices that are not linked to a deal already; link another invoice by its number."))
	default:
		a.message.SetText(lang.X("adopt.choose", "Check the invoices to link to this deal, or type the number of another."))
		a.found = c.Invoices
		for _, inv := range c.Invoices {
			st := inv.Status(invoicing.DateOf(a.l.m.now()))
			number := inv.DocNumber
			if number == "" {
				number = "—"
			}
			text := strings.Join([]string{number, dateText(inv.IssueDate), money(inv.Total, inv.Currency), statusText(st)}, " · ")
			a.checks = append(a.checks, widget.NewCheck(text, nil))
			a.list.Add(a.checks[len(a.checks)-1])
		}
		a.l.m.window.Canvas().Focus(a.checks[0])
	}
}

// onAnswer links the checked invoices and those numbered, off the UI goroutine; Cancel changes nothing.
func (a *adoptDialog) onAnswer(ok bool) {
	if !ok {
		return
	}
	var ids []string
	for i, c := range a.checks {
		if c.Checked {
			ids = append(ids, a.found[i].ID)
		}
	}
	numbers := strings.Fields(a.number.Text)
	if len(ids) == 0 && len(numbers) == 0 {
		return
	}
	dealID := a.deal.ID
	a.l.act("link invoices", func(ctx context.Context, svc Invoicing) error {
		if len(numbers) > 0 {
			byNumber, err := svc.InvoicesByNumber(ctx, numbers)
			if err != nil {
				return err
			}
			for _, inv := range byNumber {
				if !slices.Contains(ids, inv.ID) {
					ids = append(ids, inv.ID)
				}
			}
		}
		return svc.AdoptInvoices(ctx, dealID, ids)
	}, lang.X("adopt.done", "The invoices are linked to this deal; your team sees them with their next refresh."))
}
