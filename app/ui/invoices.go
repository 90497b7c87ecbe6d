package ui

import (
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// Choices of the Invoices tab's status filter, in the order the Select shows them.
const (
	filterAll = iota
	filterOpen
	filterPartiallyPaid
	filterPaid
	filterOverdue
	filterVoided
	filterQueued
	filterDeleted
)

// invoicesScreen is the Invoices tab: every deal's invoices, filtered, sorted and searched, with the
// outstanding totals per currency and a CSV export of what is listed.
type invoicesScreen struct {
	m       *MainWindow
	content fyne.CanvasObject
	list    *invoiceList

	status      *widget.Select
	sort        *widget.Select
	search      *widget.Entry
	outstanding *widget.Label
	export      *widget.Button
}

func newInvoicesScreen(m *MainWindow) *invoicesScreen {
	s := &invoicesScreen{m: m}
	s.status = widget.NewSelect([]string{
		lang.X("invoices.filter.all", "All statuses"),
		lang.X("invoice.status.open", "Open"),
		lang.X("invoice.status.partially_paid", "Partially paid"),
		lang.X("invoice.status.paid", "Paid"),
		lang.X("invoice.status.overdue", "Overdue"),
		lang.X("invoice.status.voided", "Voided"),
		lang.X("invoice.status.queued", "Queued"),
		lang.X("invoice.status.deleted", "Deleted"),
	}, nil)
	s.status.SetSelectedIndex(filterAll)
	s.status.OnChanged = func(string) { s.onQueryChanged() }
	s.sort = widget.NewSelect([]string{
		lang.X("invoices.sort.date", "Newest first"),
		lang.X("invoices.sort.due", "By due date"),
		lang.X("invoices.sort.amount", "By amount"),
	}, nil)
	s.sort.SetSelectedIndex(0)
	s.sort.OnChanged = func(string) { s.onQueryChanged() }
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.X("invoices.search", "Search by number or customer"))
	s.search.OnChanged = func(string) { s.onQueryChanged() }
	s.outstanding = label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	s.export = widget.NewButtonWithIcon(lang.X("invoices.export", "Export CSV"), theme.DocumentSaveIcon(), s.onExport)

	s.list = newInvoiceList(m, s.query(), true, s.showOutstanding)
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(wideSelect(s.status), wideSelect(s.sort), s.export), s.search)
	s.content = container.NewBorder(container.NewVBox(filters, s.outstanding), nil, nil, nil, s.list.content)
	return s
}

// query is the history query the filters describe.
func (s *invoicesScreen) query() invoicing.HistoryQuery {
	q := invoicing.HistoryQuery{Text: strings.TrimSpace(s.search.Text), Sort: invoicing.HistorySort(s.sort.SelectedIndex())}
	switch s.status.SelectedIndex() {
	case filterOpen:
		q.States = []invoicing.State{invoicing.Open}
	case filterPartiallyPaid:
		q.States = []invoicing.State{invoicing.PartiallyPaid}
	case filterPaid:
		q.States = []invoicing.State{invoicing.Paid}
	case filterOverdue:
		q.OverdueOnly = true
	case filterVoided:
		q.States = []invoicing.State{invoicing.Voided}
	case filterQueued:
		q.States = []invoicing.State{invoicing.Queued}
	case filterDeleted:
		q.States = []invoicing.State{invoicing.Deleted}
	}
	return q
}

func (s *invoicesScreen) onQueryChanged() {
	s.list.query = s.query()
	s.list.reload()
}

func (s *invoicesScreen) showOutstanding(h invoicing.History) {
	if len(h.Outstanding) == 0 {
		s.outstanding.SetText(lang.X("invoices.outstanding.none", "Nothing outstanding in this list."))
		return
	}
	sums := make([]string, len(h.Outstanding))
	for i, m := range h.Outstanding {
		sums[i] = money(m.Amount, m.Currency)
	}
	s.outstanding.SetText(lang.X("invoices.outstanding", "Outstanding: {{.Sums}}", map[string]any{"Sums": strings.Join(sums, " · ")}))
}

// onExport saves the invoices listed now, as filtered and sorted, as CSV.
func (s *invoicesScreen) onExport() {
	rows := s.list.history.Rows()
	s.m.saveFile(fileToSave{
		what:   "export invoices",
		title:  lang.X("invoices.export.title", "Export the invoices listed as CSV"),
		name:   lang.X("invoices.export.file", "Dealbooks invoices.csv"),
		filter: csvFilter(),
		write:  func(w io.Writer) error { return invoicing.WriteHistoryCSV(w, rows) },
		saved:  lang.X("invoices.exported", "The list is saved as CSV."),
	})
}
