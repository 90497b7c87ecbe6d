package ui

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/app/ui/uitest"
	"dealbooks/internal/testkit"
)

// The window sizes a layout must hold at: a small laptop's, and the app's default neighbourhood.
var layoutSizes = []fyne.Size{{Width: 800, Height: 600}, {Width: 1024, Height: 768}}

// Names as long as real Pipedrive titles and QuickBooks customers get, too long for a narrow table.
const (
	longTitle    = "Acme Holding International — annual maintenance renewal for every European subsidiary"
	longOrg      = "Acme Holding International Trading Company B.V."
	longCustomer = "Acme Holding International Trading Company"
)

// longNamesService is the sample workspace with a deal and its invoice named at length.
func longNamesService() *fakeInvoicing {
	svc := sampleService()
	svc.deals[0].Title, svc.deals[0].OrgName, svc.deals[0].Value = longTitle, longOrg, testkit.Dec("1234567.89")
	svc.invoices = []invoicing.HistoryItem{{DealID: 1, Invoice: invoicing.Invoice{ID: "130", DocNumber: "1001",
		CustomerName: longCustomer, Currency: "EUR",
		IssueDate: invoicing.NewDate(2026, 12, 28), DueDate: invoicing.NewDate(2026, 12, 31),
		Total: testkit.Dec("1234567.89"), Balance: testkit.Dec("1234567.89")}, Status: invoicing.Status{State: invoicing.PartiallyPaid, Overdue: true, Sent: true}}}
	return svc
}

// layoutWindow is a window in language at size.
func layoutWindow(t *testing.T, svc Invoicing, language string, size fyne.Size) *MainWindow {
	t.Helper()
	m := newScreensWindow(t, svc, &savedFile{})
	if err := m.useLanguage(language); err != nil {
		t.Fatal(err)
	}
	m.build()
	m.window.Resize(size)
	layOut(m)
	return m
}

// layOut lays the window out as the driver would after a change: twice, as rows that wrap learn their height
// in the first pass.
func layOut(m *MainWindow) {
	for range 2 {
		m.window.Content().Resize(m.window.Canvas().Size())
		test.LaidOutObjects(m.window.Content())
	}
}

// checkCells checks one table row as laid out: the visible cells do not overlap, the last one ends before the
// scroll bar's room at the row's right, the whole cells show their text uncut, and the cut ones end in "…".
func checkCells(t *testing.T, what string, row fyne.CanvasObject, cells, whole, cuttable []*widget.Label) {
	t.Helper()
	var shown []*widget.Label
	for _, c := range cells {
		if c.Visible() {
			shown = append(shown, c)
		}
	}
	if len(shown) == 0 {
		t.Fatalf("%s: no cell shows", what)
	}
	for i := 1; i < len(shown); i++ {
		if end := shown[i-1].Position().X + shown[i-1].Size().Width; end > shown[i].Position().X {
			t.Errorf("%s: %q ends at %.0f, over %q starting at %.0f", what, shown[i-1].Text, end, shown[i].Text, shown[i].Position().X)
		}
	}
	last := shown[len(shown)-1]
	if end, room := last.Position().X+last.Size().Width, row.Size().Width-theme.ScrollBarSize(); end > room+0.5 {
		t.Errorf("%s: the last column (%q) ends at %.0f, under the scroll bar from %.0f", what, last.Text, end, room)
	}
	for _, c := range whole {
		if !c.Visible() || c.Size().Width < c.MinSize().Width {
			t.Errorf("%s: %q is cut: %.0f wide, needs %.0f", what, c.Text, c.Size().Width, c.MinSize().Width)
		}
	}
	for _, c := range cuttable {
		if c.Truncation != fyne.TextTruncateEllipsis {
			t.Errorf("%s: %q would be cut without …", what, c.Text)
		}
		if c.Visible() && c.Size().Width < 80 {
			t.Errorf("%s: %q gets %.0f px, too little to read", what, c.Text, c.Size().Width)
		}
	}
}

func TestTheTablesHoldFrom800x600InBothLanguages(t *testing.T) {
	for _, size := range layoutSizes {
		for _, language := range []string{"en", "nl"} {
			t.Run(fmt.Sprintf("%s %.0fx%.0f", language, size.Width, size.Height), func(t *testing.T) {
				m := layoutWindow(t, longNamesService(), language, size)
				for _, tab := range []int{tabDeals, tabInvoices, tabSettings} {
					m.tabs.SelectIndex(tab)
					layOut(m)
					if w := m.window.Content().MinSize().Width; w > size.Width {
						t.Errorf("tab %d needs %.0f px, wider than the window", tab, w)
					}
				}

				m.tabs.SelectIndex(tabDeals)
				layOut(m)
				deals := rowsOf[*dealRow](m.deals.picker.view)
				if len(deals) != 2 { // open and won
					t.Fatalf("%d deal rows drawn, want 2", len(deals))
				}
				for _, r := range deals {
					checkCells(t, "deal list", r, []*widget.Label{r.title, r.org, r.value, r.status},
						[]*widget.Label{r.value}, []*widget.Label{r.title, r.org})
				}

				m.tabs.SelectIndex(tabInvoices)
				layOut(m)
				invoices := rowsOf[*invoiceRow](m.invoices.list.list)
				if len(invoices) != 1 {
					t.Fatalf("%d invoice rows drawn, want 1", len(invoices))
				}
				r := invoices[0]
				checkCells(t, "invoices", r, []*widget.Label{r.number, r.customer, r.issued, r.due, r.total, r.balance, r.currency, r.status},
					[]*widget.Label{r.issued, r.total}, []*widget.Label{r.customer, r.status})

				m.tabs.SelectIndex(tabDeals)
				v := openEditor(t, m)
				v.tabs.SelectIndex(dealTabHistory)
				layOut(m)
				if w := m.window.Content().MinSize().Width; w > size.Width {
					t.Errorf("the deal view needs %.0f px, wider than the window", w)
				}
				history := rowsOf[*invoiceRow](v.history.list)
				if len(history) != 1 {
					t.Fatalf("%d rows in the deal's history, want 1", len(history))
				}
				r = history[0]
				checkCells(t, "deal history", r, []*widget.Label{r.number, r.issued, r.due, r.total, r.balance, r.currency, r.status},
					[]*widget.Label{r.issued, r.total}, []*widget.Label{r.status})
			})
		}
	}
}

// selectChrome is what a widget.Select's box takes from its width besides the text (Fyne v2.8.1's select
// renderer: the drop-down icon, the inner padding around the text and the icon, less the text's inset).
func selectChrome() float32 {
	return theme.IconInlineSize() + 3*theme.InnerPadding() - theme.Padding()
}

// checkSelects checks that every drop-down showing in root, but those in except, shows its longest option
// whole; it returns how many it checked.
func checkSelects(t *testing.T, what string, root fyne.CanvasObject, except ...*widget.Select) int {
	t.Helper()
	n := 0
	uitest.WalkVisible(root, func(o fyne.CanvasObject) bool {
		s, ok := o.(*widget.Select)
		if !ok || slices.Contains(except, s) {
			return !ok
		}
		n++
		longest := slices.MaxFunc(s.Options, func(a, b string) int {
			return int(fyne.MeasureText(a, theme.TextSize(), fyne.TextStyle{}).Width - fyne.MeasureText(b, theme.TextSize(), fyne.TextStyle{}).Width)
		})
		need := fyne.MeasureText(longest, theme.TextSize(), fyne.TextStyle{}).Width
		if room := s.Size().Width - selectChrome(); room < need {
			t.Errorf("%s: the drop-down with %q is %.0f wide and shows %.0f px of text, its longest option needs %.0f",
				what, longest, s.Size().Width, room, need)
		}
		return false
	})
	return n
}

func TestDropDownsShowTheirLongestOptionWholeInBothLanguages(t *testing.T) {
	for _, language := range []string{"en", "nl"} {
		t.Run(language, func(t *testing.T) {
			size := layoutSizes[0]
			m := layoutWindow(t, longNamesService(), language, size)
			m.tabs.SelectIndex(tabDeals)
			layOut(m)
			if n := checkSelects(t, "deals", m.window.Content()); n != 2 {
				t.Errorf("%d drop-downs on the deal list, want status and owner", n)
			}
			m.tabs.SelectIndex(tabInvoices)
			layOut(m)
			if n := checkSelects(t, "invoices", m.window.Content()); n != 2 {
				t.Errorf("%d drop-downs on the invoices, want status and sort", n)
			}
			m.tabs.SelectIndex(tabDeals)
			e := openEditor(t, m).editor
			layOut(m)
			// The invoice lines' item and tax code are table cells holding QuickBooks' names, of any length: they
			// are cut with "…" like the other cells, and the drop-down lists them whole.
			var cells []*widget.Select
			for _, r := range e.lines {
				cells = append(cells, r.item, r.taxCode)
			}
			if n := checkSelects(t, "editor", m.window.Content(), cells...); n != 1 {
				t.Errorf("%d drop-downs in the editor outside the lines, want the terms", n)
			}

			prefs := &fakePreferences{prefs: invoicing.Preferences{DueDays: 30, TaxCodeByRate: map[string]string{"20": "3"}},
				choices: testChoices(invoicing.TaxGlobal, true)}
			p, _ := newPreferencesWindow(t, prefs)
			if err := p.useLanguage(language); err != nil {
				t.Fatal(err)
			}
			p.build()
			p.tabs.SelectIndex(tabSettings)
			p.window.Resize(size)
			layOut(p)
			// to, address, email, tax ID, item, tax code, the deal status and amount fields, one tax rate, the refresh
			// interval, the language
			if n := checkSelects(t, "settings", p.window.Content()); n != 11 {
				t.Errorf("%d drop-downs in the settings, want 11", n)
			}
		})
	}
}

func TestTheWheelScrollsTheEditorOverItsTextFields(t *testing.T) {
	m := layoutWindow(t, sampleService(), "en", layoutSizes[0])
	v := openEditor(t, m)
	layOut(m)
	var form *container.Scroll
	uitest.Walk(v.editor.form, func(o fyne.CanvasObject) bool {
		if s, ok := o.(*container.Scroll); ok && form == nil {
			form = s
		}
		return form == nil
	})
	if form == nil {
		t.Fatal("the editor has no scroll")
	}
	e := v.editor
	for _, c := range []struct {
		name  string
		field *textField
	}{{"address (multi-line)", e.address}, {"to (single line)", e.to}, {"message to the customer (multi-line)", e.customerMemo}} {
		t.Run(c.name, func(t *testing.T) {
			// Scroll the field into the top of the view, with room below it to scroll on.
			form.ScrollToTop()
			top := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.field).Y - fyne.CurrentApp().Driver().AbsolutePositionForObject(form).Y
			form.ScrollToOffset(fyne.NewPos(0, max(top-20, 0)))
			layOut(m)
			before := form.Offset.Y
			at := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.field).Add(fyne.NewPos(20, 10))
			test.Scroll(m.window.Canvas(), at, 0, -40)
			if form.Offset.Y <= before {
				t.Errorf("the wheel over the field left the editor at %.0f (was %.0f)", form.Offset.Y, before)
			}
		})
	}

	rows := e.address.MinSize().Height
	e.address.SetText("Acme Ltd\nKeizersgracht 1\n1015 CJ Amsterdam\nNetherlands\nAttn. accounts payable")
	if e.address.MinSize().Height <= rows {
		t.Errorf("a five-line address keeps the field %.0f px tall: it would scroll inside the editor", e.address.MinSize().Height)
	}
}
