package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

func TestTheInvoiceTableHoldsAt800x600InBothLanguages(t *testing.T) {
	for _, language := range []string{"en", "nl"} {
		t.Run(language, func(t *testing.T) {
			svc := sampleService()
			svc.invoices = []invoicing.HistoryItem{{Invoice: invoicing.Invoice{ID: "130", DocNumber: "1001",
				CustomerName: "Acme Holding International Trading Company", Currency: "EUR",
				IssueDate: invoicing.NewDate(2026, 12, 28), DueDate: invoicing.NewDate(2026, 12, 31),
				Total: testkit.Dec("1234567.89"), Balance: testkit.Dec("1234567.89")}, Status: invoicing.Status{State: invoicing.PartiallyPaid, Overdue: true, Sent: true}}}
			m := newScreensWindow(t, svc, &savedFile{})
			if err := m.useLanguage(language); err != nil {
				t.Fatal(err)
			}
			m.build()
			m.tabs.SelectIndex(tabInvoices)
			m.window.Resize(fyne.NewSize(800, 600))
			test.LaidOutObjects(m.window.Content())

			rows := rowsOf[*invoiceRow](m.invoices.list.list)
			if len(rows) != 1 {
				t.Fatalf("%d rows drawn", len(rows))
			}
			r := rows[0]
			cells := []*widget.Label{r.number, r.customer, r.issued, r.due, r.total, r.balance, r.currency, r.status}
			var shown []*widget.Label
			for _, c := range cells {
				if c.Visible() {
					shown = append(shown, c)
				}
			}
			for i := 1; i < len(shown); i++ {
				if end := shown[i-1].Position().X + shown[i-1].Size().Width; end > shown[i].Position().X {
					t.Errorf("%q ends at %.0f, over %q starting at %.0f", shown[i-1].Text, end, shown[i].Text, shown[i].Position().X)
				}
			}
			last := shown[len(shown)-1]
			if end, width := last.Position().X+last.Size().Width, r.Size().Width; end > width+0.5 {
				t.Errorf("the last column ends at %.0f, past the row's %.0f", end, width)
			}
			for _, c := range []*widget.Label{r.issued, r.total} {
				if !c.Visible() || c.Size().Width < c.MinSize().Width {
					t.Errorf("%q is cut: %.0f wide, needs %.0f", c.Text, c.Size().Width, c.MinSize().Width)
				}
			}
			if r.customer.Truncation != fyne.TextTruncateEllipsis || r.customer.Size().Width < 60 {
				t.Errorf("the customer is %.0f wide, without … when cut", r.customer.Size().Width)
			}
		})
	}
}
