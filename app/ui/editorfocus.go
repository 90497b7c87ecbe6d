package ui

import (
	"fyne.io/fyne/v2"
)

// This file takes the rep to the first field at fault when Create refuses the draft.

// focusTarget is one field of the form that can take the focus, by its path in the draft.
type focusTarget struct {
	field string
	obj   fyne.Focusable
}

// focusOrder lists the form's fields in reading order, top to bottom and left to right along each line.
func (e *invoiceEditor) focusOrder() []focusTarget {
	order := []focusTarget{
		{"customer.to", e.to}, {"customer.address", e.address}, {"customer.email", e.email}, {"customer.tax_id", e.taxID},
		{"currency", e.currency}, {"issue_date", e.issueDate}, {"due_date", e.dueDate}, {"terms", e.terms},
		{"invoice_number", e.number}, {"memo", e.memo}, {"customer_memo", e.customerMemo},
	}
	for _, r := range e.lines {
		order = append(order,
			focusTarget{r.path("name"), r.name}, focusTarget{r.path("item"), r.item},
			focusTarget{r.path("quantity"), r.quantity}, focusTarget{r.path("unit_price"), r.price},
			focusTarget{r.path("discount"), r.off})
		if r.taxable != nil {
			order = append(order, focusTarget{r.path("tax_code"), r.taxable})
		} else {
			order = append(order, focusTarget{r.path("tax_code"), r.taxCode})
		}
	}
	order = append(order, focusTarget{"lines", e.addLine})
	for i, f := range e.discountFields {
		order = append(order, focusTarget{discountPath(i), f})
	}
	if len(e.discountFields) > 0 {
		order = append(order, focusTarget{"discounts", e.discountFields[0]})
	}
	return order
}

// focusFirstProblem puts the focus on the first field, in reading order, that Create refused or whose text is
// not a date or number, and scrolls the form to it. A disabled field (an item list offline) is passed over.
func (e *invoiceEditor) focusFirstProblem() {
	faults := map[string]bool{}
	for field := range e.badInput {
		faults[field] = true
	}
	for _, is := range e.issues {
		faults[is.Field] = true
	}
	for _, t := range e.focusOrder() {
		if !faults[t.field] {
			continue
		}
		if d, ok := t.obj.(fyne.Disableable); ok && d.Disabled() {
			continue
		}
		e.scrollTo(t.obj.(fyne.CanvasObject))
		e.m.window.Canvas().Focus(t.obj)
		return
	}
}

// scrollTo scrolls the form so that o, with the message under it, is in view.
func (e *invoiceEditor) scrollTo(o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(e.scroll.Content).Y
	view := e.scroll.Size().Height
	switch {
	case top < e.scroll.Offset.Y:
		e.scroll.ScrollToOffset(fyne.NewPos(0, top))
	case top+2*o.Size().Height > e.scroll.Offset.Y+view:
		e.scroll.ScrollToOffset(fyne.NewPos(0, top+2*o.Size().Height-view))
	}
}
