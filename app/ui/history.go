package ui

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// invoiceList is an invoice history: one deal's in the deal view, every deal's in the Invoices tab. It reads
// the local cache, so it works offline; Refresh asks QuickBooks what changed. The selected invoice's actions
// sit under the list.
type invoiceList struct {
	m         *MainWindow
	query     invoicing.HistoryQuery
	customers bool // show the customer column (all deals)
	content   fyne.CanvasObject
	onLoaded  func(invoicing.History)

	history  invoicing.History // as last read
	selected int               // index in history.Items; -1 for none
	offline  bool              // the last call to QuickBooks found no network

	banner   *widget.Label
	updated  *widget.Label
	refresh  *widget.Button
	cancel   *widget.Button
	progress *widget.ProgressBarInfinite
	list     *widget.List
	empty    *widget.Label
	notice   *widget.Label // the outcome of the last action
	reason   *widget.Label // why actions are unavailable
	figures  *widget.Label // the chosen invoice's tax, discount, deposit and home total
	sendTo   *textField    // the address in the open Send dialog

	void, remove, send, pdf, open *widget.Button
	stopRefresh                   context.CancelFunc

	deal *invoicing.Deal // the deal of a deal's history, which can link invoices made in QuickBooks; nil for all deals
	link *widget.Button  // opens the dialog that links them
	// adopting is the link dialog opened last.
	adopting *adoptDialog
}

// newInvoiceList lists the invoices q selects; onLoaded, if not nil, runs each time the list is read.
func newInvoiceList(m *MainWindow, q invoicing.HistoryQuery, customers bool, onLoaded func(invoicing.History)) *invoiceList {
	l := &invoiceList{m: m, query: q, customers: customers, selected: -1, onLoaded: onLoaded}
	l.banner = label(&widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}})
	l.banner.Hide()
	l.updated = label(&widget.Label{Importance: widget.LowImportance})
	l.refresh = widget.NewButtonWithIcon(lang.X("history.refresh", "Refresh"), theme.ViewRefreshIcon(), l.onRefresh)
	l.cancel = widget.NewButton(lang.X("action.cancel", "Cancel"), func() { l.stopRefresh() })
	l.cancel.Hide()
	l.progress = widget.NewProgressBarInfinite()
	l.progress.Stop()
	l.progress.Hide()
	l.empty = widget.NewLabel(lang.X("history.empty", "No invoices yet."))
	l.empty.Hide()
	l.notice = label(&widget.Label{Wrapping: fyne.TextWrapWord})
	l.notice.Hide()
	l.reason = label(&widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord})
	l.reason.Hide()
	l.figures = newFiguresLabel()
	l.list = &widget.List{
		Length:     func() int { return len(l.history.Items) },
		CreateItem: func() fyne.CanvasObject { return newInvoiceRow(m.tips, l.customers) },
		UpdateItem: func(id widget.ListItemID, o fyne.CanvasObject) { o.(*invoiceRow).show(l.history.Items[id]) },
		OnSelected: func(id widget.ListItemID) { l.selected = id; l.showActions() },
		OnUnselected: func(widget.ListItemID) {
			l.selected = -1
			l.showActions()
		},
	}
	l.list.ExtendBaseWidget(l.list)

	l.void = widget.NewButtonWithIcon(lang.X("history.void", "Void"), theme.CancelIcon(), l.onVoid)
	l.remove = widget.NewButtonWithIcon(lang.X("history.delete", "Delete"), theme.DeleteIcon(), l.onDelete)
	l.send = widget.NewButtonWithIcon(lang.X("history.send", "Send by email"), theme.MailSendIcon(), l.onSend)
	l.pdf = widget.NewButtonWithIcon(lang.X("history.pdf", "Download PDF"), theme.DownloadIcon(), l.onPDF)
	l.open = widget.NewButtonWithIcon(lang.X("history.open", "Open in QuickBooks"), theme.ComputerIcon(), l.onOpen)
	l.link = widget.NewButtonWithIcon(lang.X("history.link", "Link an invoice from QuickBooks…"), theme.ContentAddIcon(), l.onLink)
	l.link.Hide()
	l.showActions()

	top := container.NewVBox(l.banner,
		container.NewHBox(l.updated, layout.NewSpacer(), l.progress, l.cancel, withTip(m.tips, l.refresh, shortcutText(keyRefresh))),
		invoiceHeader(customers))
	bottom := container.NewVBox(l.figures, l.notice, l.reason, container.New(layout.NewRowWrapLayout(), l.void, l.remove, l.send, l.pdf, l.open, l.link))
	l.content = container.NewBorder(top, bottom, nil, nil, container.NewStack(l.list, l.empty))
	l.reload()
	return l
}

// reload reads the history from the cache, off the UI goroutine.
func (l *invoiceList) reload() {
	svc, q := l.m.deps.Invoicing, l.query
	read := func(ctx context.Context) (invoicing.History, error) { return svc.History(ctx, q) }
	call(l.m.bg, localCall, read, orProblem(l.m, "read invoice history", l.show))
}

// show lists h, keeping the selected invoice selected when it is still there.
func (l *invoiceList) show(h invoicing.History) {
	var keep *invoicing.HistoryItem
	if l.selected >= 0 {
		keep = &l.history.Items[l.selected]
	}
	l.list.UnselectAll()
	l.history = h
	l.list.Refresh()
	for i, it := range h.Items {
		if keep != nil && sameInvoice(it, *keep) {
			l.list.Select(i)
			break
		}
	}
	l.empty.Hidden = len(h.Items) > 0
	l.empty.Refresh()
	if h.UpdatedAt.IsZero() {
		l.updated.SetText(lang.X("history.never_updated", "Not yet refreshed from QuickBooks"))
	} else {
		l.updated.SetText(lang.X("history.updated", "Updated at {{.Time}}", map[string]any{"Time": timeText(h.UpdatedAt)}))
	}
	l.showOffline()
	if l.onLoaded != nil {
		l.onLoaded(h)
	}
}

func sameInvoice(a, b invoicing.HistoryItem) bool {
	if a.OutboxID != 0 || b.OutboxID != 0 {
		return a.OutboxID == b.OutboxID
	}
	return a.Invoice.ID == b.Invoice.ID
}

func (l *invoiceList) setOffline(offline bool) {
	l.offline = offline
	l.showOffline()
	l.showActions()
}

func (l *invoiceList) showOffline() {
	if !l.offline {
		l.banner.Hide()
		return
	}
	text := lang.X("history.offline", "Offline — showing data from {{.Time}}.", map[string]any{"Time": timeText(l.history.UpdatedAt)})
	if l.history.UpdatedAt.IsZero() {
		text = lang.X("history.offline.never", "Offline — nothing has been read from QuickBooks yet.")
	}
	if n := l.queued(); n > 0 {
		text += " " + lang.X("history.offline.queued", "{{.Count}} invoice(s) wait to be sent; they go out by themselves when the network is back.", map[string]any{"Count": n})
	}
	l.banner.SetText(text)
	l.banner.Show()
}

// queued counts the listed invoices still waiting in the outbox.
func (l *invoiceList) queued() int {
	n := 0
	for _, it := range l.history.Items {
		if it.Status.State == invoicing.Queued {
			n++
		}
	}
	return n
}

// onRefresh asks QuickBooks what changed, with progress and Cancel in place of the Refresh button.
func (l *invoiceList) onRefresh() {
	ctx, cancel := l.m.bg.scope()
	l.stopRefresh = cancel
	l.refresh.Hide()
	l.cancel.Show()
	l.progress.Show()
	l.progress.Start()
	svc := l.m.deps.Invoicing
	refresh := func(ctx context.Context) (invoicing.RefreshResult, error) {
		if _, err := svc.Resume(ctx); err != nil { // invoices queued offline go out first, and then show up to date
			return invoicing.RefreshResult{}, err
		}
		return svc.Refresh(ctx)
	}
	callIn(l.m.bg, ctx, networkCall, refresh, func(res invoicing.RefreshResult, err error) {
		cancel()
		l.progress.Stop()
		l.progress.Hide()
		l.cancel.Hide()
		l.refresh.Show()
		switch {
		case errors.Is(err, invoicing.ErrOffline):
			l.setOffline(true)
		case errors.Is(err, context.Canceled):
		case err != nil:
			l.m.showProblem("refresh invoices", err)
		default:
			l.setOffline(false)
			l.showNotice(lang.X("history.refreshed", "QuickBooks reports {{.Count}} changed invoices.", map[string]any{"Count": res.Changed}))
		}
		l.reload()
	})
}

// showActions enables the actions the selected invoice allows, and says why the others are unavailable.
func (l *invoiceList) showActions() {
	l.showFigures()
	buttons := []*widget.Button{l.void, l.remove, l.send, l.pdf, l.open}
	for _, b := range buttons {
		b.Disable()
	}
	reason := ""
	switch {
	case l.selected < 0:
		reason = lang.X("history.choose", "Choose an invoice to void, delete, send or download it.")
	case l.history.Items[l.selected].Status.State == invoicing.Queued:
		reason = lang.X("history.queued", "This invoice waits to be sent to QuickBooks; its actions become available once it is there.")
	case l.history.Items[l.selected].Status.State == invoicing.Deleted:
		reason = lang.X("history.deleted", "This invoice was deleted in QuickBooks.")
	case l.offline:
		l.pdf.Enable() // a PDF downloaded before is still on this computer
		reason = lang.X("history.offline.actions", "Offline: voiding, deleting, sending and opening in QuickBooks need the network.")
	default:
		if l.history.Items[l.selected].Status.State != invoicing.Voided {
			l.void.Enable()
			l.send.Enable()
		}
		for _, b := range []*widget.Button{l.remove, l.pdf, l.open} {
			b.Enable()
		}
	}
	l.reason.SetText(reason)
	l.reason.Hidden = reason == ""
	l.reason.Refresh()
}

// linksFor lets the history of deal d link invoices made in QuickBooks to it.
func (l *invoiceList) linksFor(d invoicing.Deal) {
	l.deal = &d
	l.link.Show()
}

func (l *invoiceList) selectedInvoice() invoicing.Invoice { return l.history.Items[l.selected].Invoice }

func (l *invoiceList) onVoid() {
	inv := l.selectedInvoice()
	l.confirmDestructive(lang.X("history.void.title", "Void invoice {{.Number}}?", map[string]any{"Number": inv.DocNumber}),
		// What QuickBooks does on void: api/quickbooks.md §3.1 ("Void detail").
		lang.X("history.void.body", "Voiding cannot be undone. QuickBooks keeps the invoice, sets its amounts to zero and puts \"Voided\" at the start of its memo; Dealbooks then lists it as Voided."),
		lang.X("history.void", "Void"), func() {
			l.act("void invoice", func(ctx context.Context, svc Invoicing) error { _, err := svc.Void(ctx, inv.ID); return err },
				lang.X("history.voided", "Invoice {{.Number}} is voided: its amounts are now zero in QuickBooks.", map[string]any{"Number": inv.DocNumber}))
		})
}

func (l *invoiceList) onDelete() {
	inv := l.selectedInvoice()
	l.confirmDestructive(lang.X("history.delete.title", "Delete invoice {{.Number}}?", map[string]any{"Number": inv.DocNumber}),
		lang.X("history.delete.body", "The invoice will be removed from QuickBooks. This cannot be undone."),
		lang.X("history.delete", "Delete"), func() {
			l.act("delete invoice", func(ctx context.Context, svc Invoicing) error { _, err := svc.Delete(ctx, inv.ID); return err },
				lang.X("history.deleted.done", "Invoice {{.Number}} is deleted.", map[string]any{"Number": inv.DocNumber}))
		})
}

// confirmDestructive asks before an action that cannot be undone, with the action's name on a red button.
func (l *invoiceList) confirmDestructive(title, body, action string, confirmed func()) {
	d := dialog.NewConfirm(title, body, func(ok bool) {
		if ok {
			confirmed()
		}
	}, l.m.window)
	d.SetConfirmText(action)
	d.SetDismissText(lang.X("action.cancel", "Cancel"))
	d.SetConfirmImportance(widget.DangerImportance)
	l.m.showDialog(d, nil)
}

func (l *invoiceList) onSend() {
	inv := l.selectedInvoice()
	l.sendTo = newField(l.m)
	l.sendTo.SetText(inv.BillEmail)
	l.sendTo.Validator = func(s string) error {
		if !invoicing.ValidEmail(s) { // the rule of the invoice's e-mail field, so Send takes what Create takes
			return errors.New(lang.X("issue.email_invalid", "This is not an e-mail address."))
		}
		return nil
	}
	d := dialog.NewForm(lang.X("history.send.title", "Send invoice {{.Number}}", map[string]any{"Number": inv.DocNumber}),
		lang.X("history.send.confirm", "Send"), lang.X("action.cancel", "Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.X("editor.email", "Email"), l.sendTo)},
		func(ok bool) {
			if !ok {
				return
			}
			to := l.sendTo.Text
			l.act("send invoice", func(ctx context.Context, svc Invoicing) error { _, err := svc.Send(ctx, inv.ID, to); return err },
				lang.X("history.sent", "QuickBooks is e-mailing invoice {{.Number}} to {{.Address}}.", map[string]any{"Number": inv.DocNumber, "Address": to}))
		}, l.m.window)
	// Wide enough for a whole address; Enter sends, as the Send button does.
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	submitOnEnter(d, &l.sendTo.Entry)
	l.m.showDialog(d, l.sendTo)
}

// act runs one invoice action off the UI goroutine, then says how it went and reads the history again.
func (l *invoiceList) act(what string, do func(context.Context, Invoicing) error, done string) {
	svc := l.m.deps.Invoicing
	l.m.bg.do(networkCall, func(ctx context.Context) error { return do(ctx, svc) }, func(err error) {
		if errors.Is(err, invoicing.ErrOffline) {
			l.setOffline(true)
		}
		if err != nil {
			l.m.showProblem(what, err)
		} else {
			l.showNotice(done)
		}
		l.reload()
		l.m.invoicesChanged()
	})
}

func (l *invoiceList) showNotice(text string) {
	l.notice.SetText(text)
	l.notice.Show()
}

// onPDF fetches the invoice's PDF and saves a copy where the rep chooses.
func (l *invoiceList) onPDF() {
	inv := l.selectedInvoice()
	svc := l.m.deps.Invoicing
	pdf := func(ctx context.Context) (string, error) { return svc.PDF(ctx, inv.ID) }
	call(l.m.bg, networkCall, pdf, orProblem(l.m, "download PDF", func(path string) {
		l.m.saveFile(fileToSave{
			what:   "save PDF",
			title:  lang.X("history.pdf.title", "Save the PDF of invoice {{.Number}}", map[string]any{"Number": inv.DocNumber}),
			name:   invoicing.PDFFileName(inv),
			filter: pdfFilter(),
			write:  func(w io.Writer) error { return copyFile(w, path) },
			saved:  lang.X("history.pdf.saved", "The PDF of invoice {{.Number}} is saved.", map[string]any{"Number": inv.DocNumber}),
		})
	}))
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func (l *invoiceList) onOpen() {
	inv := l.selectedInvoice()
	u, err := url.Parse(l.m.deps.Invoicing.InvoiceURL(inv.ID))
	if err == nil {
		err = l.m.app.OpenURL(u)
	}
	if err != nil {
		l.m.showProblem("open invoice in QuickBooks", err)
	}
}

// invoiceRow is one invoice in a history list.
type invoiceRow struct {
	widget.BaseWidget
	cellTips
	customers                        bool
	number, customer, issued, due    *widget.Label
	total, balance, currency, status *widget.Label
}

func newInvoiceRow(t *tips, customers bool) *invoiceRow {
	r := &invoiceRow{
		customers: customers,
		number:    label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}),
		customer:  label(&widget.Label{Truncation: fyne.TextTruncateEllipsis}),
		issued:    label(&widget.Label{}),
		due:       label(&widget.Label{}),
		total:     amountLabel(),
		balance:   amountLabel(),
		currency:  label(&widget.Label{}),
		status:    label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}),
	}
	r.cellTips = newCellTips(t, r.number, r.customer, r.status)
	r.ExtendBaseWidget(r)
	return r
}

func (r *invoiceRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.highlight,
		invoiceColumns(r.customers, r.number, r.customer, r.issued, r.due, r.total, r.balance, r.currency, r.status)))
}

func (r *invoiceRow) show(it invoicing.HistoryItem) {
	inv := it.Invoice
	number := inv.DocNumber
	if number == "" {
		number = "—"
	}
	r.number.SetText(number)
	r.customer.SetText(inv.CustomerName)
	r.issued.SetText(dateText(inv.IssueDate))
	r.due.SetText(dateText(inv.DueDate))
	r.total.SetText(amountText(inv.Total, inv.Currency))
	r.balance.SetText(amountText(inv.Balance, inv.Currency))
	r.currency.SetText(inv.Currency)
	r.status.Importance = statusImportance(it.Status)
	r.status.SetText(statusText(it.Status) + whoText(it))
}

// whoText says which reps created the invoice and last changed it in Dealbooks, after the status:
// " · by Ann Lee, voided by Bo Berg"; "" when no rep is known (an invoice made by hand in QuickBooks).
func whoText(it invoicing.HistoryItem) string {
	var parts []string
	switch {
	case it.CreatedBy != "":
		parts = append(parts, lang.X("history.by", "by {{.Name}}", map[string]any{"Name": it.CreatedBy}))
	case it.CreatorID != 0:
		parts = append(parts, lang.X("history.by_user", "by Pipedrive user {{.ID}}", map[string]any{"ID": it.CreatorID}))
	}
	if by := it.LastChange.By; by != "" {
		switch it.LastChange.Action {
		case invoicing.ChangeSent:
			parts = append(parts, lang.X("history.sent_by", "sent by {{.Name}}", map[string]any{"Name": by}))
		case invoicing.ChangeVoided:
			parts = append(parts, lang.X("history.voided_by", "voided by {{.Name}}", map[string]any{"Name": by}))
		case invoicing.ChangeDeleted:
			parts = append(parts, lang.X("history.deleted_by", "deleted by {{.Name}}", map[string]any{"Name": by}))
		case invoicing.ChangeLinked:
			parts = append(parts, lang.X("history.linked_by", "linked by {{.Name}}", map[string]any{"Name": by}))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " · " + strings.Join(parts, ", ")
}

// invoiceColumns lays out the columns of a history row or its header; the customer column only for all deals.
// Dates and amounts are never cut; at 800 wide the due date, then the currency, then the balance give way.
func invoiceColumns(customers bool, number, customer, issued, due, total, balance, currency, status fyne.CanvasObject) *fyne.Container {
	date := max(textWidth(dateText(invoicing.NewDate(2026, 12, 28)), fyne.TextStyle{}), textWidth(lang.X("history.date", "Date"), fyne.TextStyle{Bold: true}),
		textWidth(lang.X("history.due", "Due date"), fyne.TextStyle{Bold: true}))
	amount := max(textWidth(amountText(decimal.New(9999999999, -2), "EUR"), fyne.TextStyle{}), textWidth(lang.X("history.balance", "Balance"), fyne.TextStyle{Bold: true}),
		textWidth(lang.X("history.total", "Total"), fyne.TextStyle{Bold: true}))
	code := max(textWidth("EUR", fyne.TextStyle{}), textWidth(lang.X("history.currency", "Currency"), fyne.TextStyle{Bold: true}))
	if customers {
		return container.New(columns{weights: []float32{1.05, 1.9, 1.1, 1.1, 1.3, 1.3, 1.1, 2.6},
			mins: []float32{60, 80, date, date, amount, amount, code, 90}, hide: []int{3, 6, 5}, trailing: scrollBarRoom()},
			number, customer, issued, due, total, balance, currency, status)
	}
	return container.New(columns{weights: []float32{1.05, 1.1, 1.1, 1.3, 1.3, 1.1, 2.6},
		mins: []float32{60, date, date, amount, amount, code, 90}, hide: []int{2, 5, 4}, trailing: scrollBarRoom()},
		number, issued, due, total, balance, currency, status)
}

func invoiceHeader(customers bool) fyne.CanvasObject {
	return invoiceColumns(customers,
		columnTitle(lang.X("history.number", "Number")),
		columnTitle(lang.X("history.customer", "Customer")),
		columnTitle(lang.X("history.date", "Date")),
		columnTitle(lang.X("history.due", "Due date")),
		label(&widget.Label{Text: lang.X("history.total", "Total"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}),
		label(&widget.Label{Text: lang.X("history.balance", "Balance"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}),
		columnTitle(lang.X("history.currency", "Currency")),
		columnTitle(lang.X("history.status", "Status")),
	)
}

// statusText names the status in words, the overlays after the state: "Open, Overdue, Sent".
func statusText(s invoicing.Status) string {
	parts := []string{stateText(s.State)}
	if s.Overdue {
		parts = append(parts, lang.X("invoice.status.overdue", "Overdue"))
	}
	if s.Sent {
		parts = append(parts, lang.X("invoice.status.sent", "Sent"))
	}
	return strings.Join(parts, ", ")
}

func stateText(s invoicing.State) string {
	switch s {
	case invoicing.PartiallyPaid:
		return lang.X("invoice.status.partially_paid", "Partially paid")
	case invoicing.Paid:
		return lang.X("invoice.status.paid", "Paid")
	case invoicing.Voided:
		return lang.X("invoice.status.voided", "Voided")
	case invoicing.Queued:
		return lang.X("invoice.status.queued", "Queued")
	case invoicing.Deleted:
		return lang.X("invoice.status.deleted", "Deleted")
	}
	return lang.X("invoice.status.open", "Open")
}

// statusImportance colours the status text; the words always say the same, so colour is never the only signal.
func statusImportance(s invoicing.Status) widget.Importance {
	switch {
	case s.State == invoicing.Deleted || s.State == invoicing.Voided:
		return widget.LowImportance
	case s.Overdue:
		return widget.DangerImportance
	case s.State == invoicing.Paid:
		return widget.SuccessImportance
	case s.State == invoicing.Queued || s.State == invoicing.PartiallyPaid:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}
